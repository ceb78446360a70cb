// What every benchmark runs on: Kafka and PostgreSQL brought up the way `npm test` brings them up
// (tools/infra/infra-up.ts): KAFKA_BROKERS / DATABASE_URL when set (nothing started), else
// testcontainers where a Docker engine answers, else the broker from Apache's jars and the
// machine's PostgreSQL. A broker that was already running is left alone; what the run started
// is stopped at the end, on failure and on Ctrl-C.
import { bringUpInfrastructure, type Infrastructure } from '../tools/infra/infra-up';

export interface BenchInfrastructure {
  /** Comma-separated, as KAFKA_BROKERS. */
  kafkaBrokers: string;
  /** A server URL (database `postgres`); each benchmark creates and drops its own database. */
  databaseUrl: string;
  /** Where each piece came from (the first line of output), for a results file. */
  notes: string[];
}

/**
 * Brings the infrastructure up, says on the first line of output where Kafka and PostgreSQL come
 * from, exports KAFKA_BROKERS and DATABASE_URL (child processes inherit them), runs `measure`, then
 * stops what was started and exits: 0, or 1 with the failure on stderr.
 */
export function runBenchmark(
  name: string,
  measure: (infrastructure: BenchInfrastructure) => Promise<void>,
): void {
  let infrastructure: Infrastructure | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= infrastructure?.stop() ?? Promise.resolve());
  const finish = async (code: number) => {
    await stop().catch((error: unknown) =>
      process.stderr.write(`${name}: stopping the infrastructure failed: ${message(error)}\n`),
    );
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130));

  const run = async () => {
    try {
      infrastructure = await bringUpInfrastructure('test');
    } catch (error) {
      // The usual cause is a KAFKA_BROKERS or DATABASE_URL that nothing answers at: one line, no stack.
      process.stderr.write(`${name}: could not bring up Kafka and PostgreSQL: ${message(error)}\n`);
      return finish(1);
    }
    const [where, ...more] = describe(infrastructure.notes);
    process.stdout.write(`${where}\n${more.map((note) => `  ${note}\n`).join('')}`);
    process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
    process.env.DATABASE_URL = infrastructure.databaseUrl;
    try {
      await measure({
        kafkaBrokers: infrastructure.kafkaBrokers,
        databaseUrl: infrastructure.databaseUrl,
        notes: infrastructure.notes,
      });
    } catch (error) {
      process.stderr.write(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return finish(1);
    }
    return finish(0);
  };
  void run();
}

/** The Kafka and PostgreSQL notes joined into one line, then the others (topics created, …). */
function describe(notes: string[]): string[] {
  const where = notes.filter((note) => note.startsWith('Kafka:') || note.startsWith('PostgreSQL:'));
  return [where.join('; '), ...notes.filter((note) => !where.includes(note))];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
