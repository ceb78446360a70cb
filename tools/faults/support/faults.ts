import { randomUUID } from 'node:crypto';
import { EVENT_HEADERS, uuidv7 } from '@backbone/contracts';
import type { FaultStack } from './fault-stack';
import { hasTable, withClient } from './fault-stack';
import { readTopics } from './oracle';
import { signToken } from './tokens';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * kill -9 of a service process at a telling moment: while its outbox holds committed rows not yet
 * published (a producer between commit and publish), else while its group is behind (a consumer
 * mid-batch), else now. Says which it was.
 */
export async function killAtTellingMoment(stack: FaultStack, name: string, index = 0): Promise<string> {
  const service = stack.service(name);
  const deadline = Date.now() + 4_000;
  let moment = 'no backlog seen';
  while (Date.now() < deadline) {
    const pending = await withClient(service.databaseUrl, async (client) => {
      if (!(await hasTable(client, 'outbox'))) return 0;
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
      );
      return rows[0]!.n;
    }).catch(() => 0);
    if (pending > 0) {
      moment = `producer with ${pending} committed, unpublished outbox row(s)`;
      break;
    }
    const lag = (await stack.consumerLag().catch(() => ({}) as Record<string, number>))[service.group] ?? 0;
    if (lag > 0) {
      moment = `consumer ${lag} record(s) behind, mid-batch`;
      break;
    }
    await sleep(20);
  }
  const pid = stack.signal(name, 'SIGKILL', index);
  return `${name}#${index + 1} (pid ${pid}) kill -9 as ${moment}`;
}

/** Waits until every process of the service answers again (the supervisor restarted it). */
export async function waitBack(stack: FaultStack, name: string): Promise<void> {
  await stack.waitHealthy(name);
}

/** A copy of one record: its key, value and headers, to publish again. */
interface Copy {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  eventId: string;
}

/**
 * The same events delivered twice and out of order: up to `count` records of the busiest partition
 * of the dossier topic, published again in reverse order, twice each, with the same key, body and
 * headers (so the same event id). Returns how many extra copies of each id it published.
 */
export async function redeliverOutOfOrder(stack: FaultStack, count = 30): Promise<Map<string, number>> {
  const topic = stack.topics.get('dossier.events.v1')!;
  const records = await readTopics(stack, [topic]);
  const byPartition = new Map<number, typeof records>();
  for (const record of records)
    byPartition.set(record.partition, [...(byPartition.get(record.partition) ?? []), record]);
  const busiest = [...byPartition.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const chosen = busiest.slice(-count);
  const copies: Copy[] = [];
  // Read the bodies again: readTopics keeps only headers.
  const consumer = stack.kafkaClient.consumer({ groupId: `faults-copy-${randomUUID()}` });
  const wanted = new Set(chosen.map((r) => r.offset));
  const partition = chosen[0]?.partition ?? 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ partition: p, message }) => {
        if (p !== partition || !wanted.has(message.offset)) return;
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {}))
          if (value !== undefined)
            headers[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
        copies.push({
          topic,
          partition: p,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers,
          eventId: headers[EVENT_HEADERS.id] ?? '',
        });
        if (copies.length === wanted.size) done();
      },
    });
    if (wanted.size > 0)
      await Promise.race([
        finished,
        sleep(60_000).then(() => Promise.reject(new Error('copies not read in 60 s'))),
      ]);
  } finally {
    await consumer.disconnect();
  }
  const producer = stack.kafkaClient.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const injected = new Map<string, number>();
  try {
    for (let round = 0; round < 2; round += 1) {
      await producer.send({
        topic,
        acks: -1,
        messages: [...copies].reverse().map((copy) => ({
          partition: copy.partition,
          key: copy.key,
          value: copy.value,
          headers: copy.headers,
        })),
      });
      for (const copy of copies) injected.set(copy.eventId, (injected.get(copy.eventId) ?? 0) + 1);
    }
  } finally {
    await producer.disconnect();
  }
  return injected;
}

/**
 * Two poison records into the busiest partition of the dossier topic, between real events: a
 * `dossier.received.v1` whose data breaks its schema, and an event of a type no catalogue knows.
 * Both are well-formed CloudEvents otherwise (copied from a real record). Returns their ids.
 */
export async function publishPoison(stack: FaultStack): Promise<{ invalid: string; unknown: string }> {
  const topic = stack.topics.get('dossier.events.v1')!;
  const sample = await sampleEvent(stack, topic);
  const invalid = uuidv7();
  const unknown = uuidv7();
  const envelope = JSON.parse(sample.value) as Record<string, unknown>;
  const poisonInvalid = { ...envelope, id: invalid, type: 'dossier.received.v1', data: { unitCode: 42 } };
  const poisonUnknown = { ...envelope, id: unknown, type: 'dossier.teleported.v1' };
  const producer = stack.kafkaClient.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          partition: sample.partition,
          key: sample.key,
          value: JSON.stringify(poisonInvalid),
          headers: { [EVENT_HEADERS.id]: invalid, [EVENT_HEADERS.type]: 'dossier.received.v1' },
        },
        {
          partition: sample.partition,
          key: sample.key,
          value: JSON.stringify(poisonUnknown),
          headers: { [EVENT_HEADERS.id]: unknown, [EVENT_HEADERS.type]: 'dossier.teleported.v1' },
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  return { invalid, unknown };
}

async function sampleEvent(
  stack: FaultStack,
  topic: string,
): Promise<{ partition: number; key: string | null; value: string }> {
  const consumer = stack.kafkaClient.consumer({ groupId: `faults-sample-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let found!: (sample: { partition: number; key: string | null; value: string }) => void;
    const sample = new Promise<{ partition: number; key: string | null; value: string }>((r) => (found = r));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (message.value)
          found({ partition, key: message.key?.toString() ?? null, value: message.value.toString() });
      },
    });
    return await Promise.race([
      sample,
      sleep(60_000).then(() => Promise.reject(new Error(`no event on ${topic} within 60 s`))),
    ]);
  } finally {
    await consumer.disconnect();
  }
}

/** Reporting's freshness as its API states it (headers of the city summary). */
export async function reportingFreshness(
  stack: FaultStack,
): Promise<{ consumerLag: number | null; completeUpTo: string | null }> {
  const reporting = stack.service('reporting');
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const response = await fetch(`${reporting.baseUrl}/reports/city/summary?from=${day}&to=${day}`, {
    headers: { authorization: `Bearer ${signToken(stack.options.keys, ['city-admin'])}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`reporting answered ${response.status}`);
  const lag = response.headers.get('x-consumer-lag');
  return {
    consumerLag: lag === null || lag === '' ? null : Number(lag),
    completeUpTo: response.headers.get('x-complete-up-to') || null,
  };
}

/** The leader of the partition of `topic` that holds the most records. */
export async function busiestPartitionLeader(
  stack: FaultStack,
  topic: string,
): Promise<{ partition: number; leader: number }> {
  const admin = await stack.kafkaAdmin();
  const offsets = await admin.fetchTopicOffsets(topic);
  const busiest = [...offsets].sort((a, b) => Number(BigInt(b.high) - BigInt(a.high)))[0]!;
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partition = metadata.topics[0]!.partitions.find((p) => p.partitionId === busiest.partition)!;
  return { partition: partition.partitionId, leader: partition.leader };
}
