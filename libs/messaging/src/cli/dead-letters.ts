// Lists and replays a consumer group's dead letters.
//
//   node -r @swc-node/register libs/messaging/src/cli/dead-letters.ts list --group <group> [--brokers host:port,...]
//   node -r @swc-node/register libs/messaging/src/cli/dead-letters.ts replay --group <group> --target <file.ts> \
//        (--offsets 3,5 | --ids <event id>,...) [--brokers ...]
//
// (SWC_NODE_PROJECT=tools/tsconfig.json, so the @backbone/* paths resolve.)
// `--target` names a module of the service that exports `createDeadLetterTarget()`, returning
// the group's DataSource and handlers: replay goes through the same inbox path as the consumer.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { createKafkaClient } from '../kafka/kafka-client';
import { kafkaSecurityFromSettings, type KafkaSecurity, KafkaSecurityError } from '../kafka/kafka-security';
import { type DeadLetterReplayTarget, readDeadLetters, replayDeadLetters } from '../consumer/dead-letters';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage:
  dead-letters list --group <group> [--brokers host:port,...]
  dead-letters replay --group <group> --target <module> (--offsets 3,5 | --ids <event-id>,...) [--brokers host:port,...]`;

function parseArgs(argv: string[]): { command?: string; flags: Map<string, string> } {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 1) {
    const name = rest[i];
    if (!name.startsWith('--')) throw new Error(`unexpected argument "${name}"`);
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
    flags.set(name.slice(2), value);
    i += 1;
  }
  return { command, flags };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The CLI as a function (tests call it); returns the process exit code. */
export async function runDeadLettersCli(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { command, flags } = parsed;
  const groupId = flags.get('group');
  if ((command !== 'list' && command !== 'replay') || !groupId) {
    io.err(USAGE);
    return 2;
  }
  const brokers = list(flags.get('brokers') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  // With KAFKA_AUTH=scram (or tls): the group's own principal may list its dead letters; replaying them
  // into another service's topic needs a principal allowed to write there (the admin). Production
  // (NODE_ENV=production) refuses a connection in clear as the services do.
  let security: KafkaSecurity;
  try {
    security = kafkaSecurityFromSettings(env);
  } catch (error) {
    if (!(error instanceof KafkaSecurityError)) throw error;
    io.err(error.message);
    return 2;
  }
  const client = createKafkaClient({
    brokers,
    clientId: 'dead-letters-cli',
    logLevel: 'nothing',
    ...security,
  });

  if (command === 'list') {
    const letters = await readDeadLetters({ client, groupId });
    io.out(`${letters.length} dead letter(s) in ${groupId}.dlq`);
    for (const l of letters) {
      io.out(
        [
          `offset=${l.offset}`,
          `reason=${l.reason}`,
          `attempts=${l.attempts}`,
          `type=${l.eventType ?? '-'}`,
          `id=${l.eventId ?? '-'}`,
          `from=${l.originalTopic}/${l.originalPartition}@${l.originalOffset}`,
          `at=${l.failedAt}`,
          `error=${JSON.stringify(l.message)}`,
        ].join(' '),
      );
    }
    return 0;
  }

  const targetPath = flags.get('target');
  const offsets = list(flags.get('offsets'));
  const eventIds = list(flags.get('ids'));
  if (!targetPath || (offsets.length === 0 && eventIds.length === 0)) {
    io.err(`replay needs --target and --offsets or --ids\n${USAGE}`);
    return 2;
  }
  const targetModule = (await import(resolve(targetPath))) as {
    createDeadLetterTarget?: () => Promise<DeadLetterReplayTarget>;
  };
  if (typeof targetModule.createDeadLetterTarget !== 'function') {
    io.err(`${targetPath} does not export createDeadLetterTarget()`);
    return 2;
  }
  const target = await targetModule.createDeadLetterTarget();
  try {
    const results = await replayDeadLetters({
      client,
      groupId,
      dataSource: target.dataSource,
      handlers: target.handlers,
      offsets,
      eventIds,
    });
    for (const r of results)
      io.out(
        `offset=${r.offset} id=${r.eventId ?? '-'} ${r.outcome}${r.error ? ` error=${JSON.stringify(r.error)}` : ''}`,
      );
    const requested = offsets.length + eventIds.length;
    if (results.length < requested)
      io.err(`${requested - results.length} requested dead letter(s) not found`);
    return results.every((r) => r.outcome !== 'failed') && results.length > 0 ? 0 : 1;
  } finally {
    await target.close?.();
  }
}

if (require.main === module) {
  runDeadLettersCli(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`dead-letters: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
