import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { eventually } from './eventually';
import { testKafkaBrokers } from './test-kafka';
import { uniqueName } from './unique-name';

/**
 * One record as a test sees it (the same fields as libs/messaging's IncomingRecord). The reader
 * uses kafkajs directly rather than libs/messaging: messaging's own tests use this lib, and a
 * dependency back would make a cycle in the project graph.
 */
export interface TopicRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string the broker returns. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = (Array.isArray(value) ? value[0] : value)?.toString('utf8') ?? '';
  }
  return result;
}

/**
 * Reads `topic` from the beginning with a consumer group of its own until `probe(records)`
 * passes (bounded: fails after `timeoutMs`), and returns everything read so far.
 */
export async function readTopicUntil(
  topic: string,
  probe: (records: TopicRecord[]) => void | Promise<void>,
  timeoutMs = 60_000,
): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  const consumer = testKafka().consumer({ groupId: uniqueName('test_reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        records.push({
          topic: from,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value,
          headers: headersOf(message.headers),
          timestamp: message.timestamp,
        });
      },
    });
    await eventually(() => probe(records), { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Reads `topic` until `expected` records arrived and then until everything the topic holds (its
 * end offsets once those arrived) is read, so that extra records (duplicates) show up too.
 */
export async function readTopic(topic: string, expected: number, timeoutMs = 60_000): Promise<TopicRecord[]> {
  let total: number | undefined;
  return readTopicUntil(
    topic,
    async (records) => {
      if (records.length < expected)
        throw new Error(`read ${records.length} of ${expected} records from ${topic}`);
      total ??= await recordsIn(topic);
      if (records.length < total) throw new Error(`read ${records.length} of ${total} records from ${topic}`);
    },
    timeoutMs,
  );
}

async function recordsIn(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}

function testKafka(): Kafka {
  return new Kafka({ clientId: 'test-reader', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
}
