/*
 * `npm run events:check [-- --since 2026-11-30T03:00:00Z] [--pattern REGEX] [--idle-seconds N]`:
 * reads the backbone's events topics from the broker (KAFKA_BROKERS, default 127.0.0.1:9092) and
 * checks every record (with a timestamp at or after --since) as an outside system would: the
 * official CloudEvents SDK's Kafka binding, strict, and `data` against the schema its `dataschema`
 * URL serves. Prints per type seen/rejected; exits 1 on any rejected record, 3 when none was read.
 * After `npm start` (whose services publish under http://127.0.0.1:3105/events/) this checks what
 * the stack published.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataschemaResolver, describeRejection, type KafkaRecordLike, sdkEventOf } from './cloud-event-check';

interface Options {
  brokers: string[];
  pattern: RegExp;
  since: number;
  idleMs: number;
  maxMs: number;
}

function parseOptions(args: string[]): Options {
  const value = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const since = value('--since');
  const sinceMs = since ? Date.parse(since) : 0;
  if (Number.isNaN(sinceMs)) throw new Error(`--since ${since}: not an ISO-8601 instant`);
  return {
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    pattern: new RegExp(`^(?:${value('--pattern') ?? '.*\\.events\\.v1'})$`),
    since: sinceMs,
    idleMs: Number(value('--idle-seconds') ?? '10') * 1000,
    maxMs: Number(value('--max-seconds') ?? '300') * 1000,
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const kafka = new Kafka({ clientId: 'events-check', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => options.pattern.test(topic)).sort();
  await admin.disconnect();
  if (topics.length === 0) {
    console.log(`no topic matches ${options.pattern.source}`);
    return 3;
  }

  const resolver = new DataschemaResolver();
  const perType = new Map<string, { seen: number; rejected: number }>();
  let rejectedTotal = 0;
  let lastRecordAt = Date.now();
  const pending: Promise<void>[] = [];
  const check = async (record: KafkaRecordLike & { topic: string; offset: string }) => {
    let type = '(unreadable)';
    const problems: string[] = [];
    try {
      const event = sdkEventOf(record);
      type = event.type;
      if (!event.dataschema) problems.push('no dataschema');
      else problems.push(...(await resolver.problems(event.dataschema, event.data)));
    } catch (error) {
      problems.push(describeRejection(error));
      try {
        type = String((JSON.parse(record.value?.toString('utf8') ?? '') as { type?: unknown }).type ?? type);
      } catch {
        // not JSON: stays unreadable
      }
    }
    const counts = perType.get(type) ?? { seen: 0, rejected: 0 };
    counts.seen++;
    if (problems.length > 0) {
      counts.rejected++;
      if (rejectedTotal++ < 20)
        console.log(`REJECTED ${type} ${record.topic}@${record.offset}: ${problems.join('; ')}`);
    }
    perType.set(type, counts);
  };

  const consumer = kafka.consumer({ groupId: `events-check.${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        lastRecordAt = Date.now();
        if (Number(message.timestamp) < options.since) return;
        const headers: Record<string, string> = {};
        for (const [name, header] of Object.entries(message.headers ?? {}))
          if (header !== undefined)
            headers[name] = (Array.isArray(header) ? header[0] : header)?.toString('utf8') ?? '';
        pending.push(
          check({
            topic,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value,
            headers,
            timestamp: message.timestamp,
          }),
        );
      },
    });
    const started = Date.now();
    while (Date.now() - lastRecordAt < options.idleMs && Date.now() - started < options.maxMs)
      await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  } finally {
    await consumer.disconnect();
  }
  await Promise.all(pending);

  let seen = 0;
  for (const [type, counts] of [...perType].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`TYPE ${type} seen=${counts.seen} rejected=${counts.rejected}`);
    seen += counts.seen;
  }
  console.log(`TOTAL topics=${topics.length} seen=${seen} rejected=${rejectedTotal} types=${perType.size}`);
  if (seen === 0) return 3;
  return rejectedTotal > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
