// One side of the benchmark pipeline, in its own process (so each side's peak memory is its own):
//   ROLE=producer  writes events through the outbox (transactions of TX_SIZE) and runs the relay
//   ROLE=consumer  runs the idempotent consumer into a counting projection (one upsert per key per batch)
// Talks to run.ts through JSON lines on stdout.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildEvent, type CloudEvent, EventType } from '@backbone/contracts';
import { IsInt, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { addToOutbox, createKafkaClient, IdempotentConsumer, OutboxRelay } from '../../libs/messaging/src';
import { dossierReceivedEvent } from '../support/contract-events';

@EventType({
  type: 'bench-order.placed.v1',
  topic: process.env.BENCH_TOPIC ?? 'bench.events.v1',
  producer: 'bench',
  aggregate: 'bench-order',
  description: 'A benchmark event.',
})
export class BenchOrderPlaced {
  @IsString()
  orderId!: string;

  @IsInt()
  amountVnd!: number;

  @IsString()
  note!: string;
}

export function benchEvent(key: string, sequence: number): CloudEvent<BenchOrderPlaced> {
  return buildEvent(BenchOrderPlaced, {
    subject: key,
    sequence,
    unitcode: '00070',
    data: { orderId: key, amountVnd: 150_000, note: 'x'.repeat(120) },
  });
}

/** BENCH_EVENT=dossier.received.v1: the contract event bench:e2e moves; else the small bench event. */
const eventFor = process.env.BENCH_EVENT === 'dossier.received.v1' ? dossierReceivedEvent : benchEvent;

const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU time (user + system) this process has used so far, in ms: the benchmark reports it per event. */
export const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
};

async function producer(dataSource: DataSource): Promise<void> {
  const client = createKafkaClient({
    brokers: env('KAFKA_BROKERS').split(','),
    clientId: 'bench-producer',
    logLevel: 'nothing',
  });
  const relay = new OutboxRelay({
    dataSource,
    client,
    serviceName: 'bench',
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 2_000),
    concurrency: Number(process.env.RELAY_CONCURRENCY ?? 2),
  });
  relay.start();
  const total = Number(env('EVENTS'));
  const txSize = Number(env('TX_SIZE'));
  const keys = Number(env('KEYS'));
  const ratePerSecond = Number(process.env.RATE ?? 0);
  const writers = Number(process.env.WRITERS ?? 2);
  const commits = new Map<string, number>();
  // Events are built (and validated) before the clock starts, as the raw baseline's are: the
  // benchmark measures moving them, not constructing them.
  const sequences = new Array<number>(keys).fill(0);
  const all: CloudEvent[] = Array.from({ length: total }, (_, i) => {
    sequences[i % keys] += 1;
    return eventFor(`bench-key-${i % keys}`, sequences[i % keys]);
  });
  let next = 0;
  const started = Date.now();
  send({ kind: 'writing', at: started, cpuMs: cpuMs() });

  // Writers share one counter; with a rate, transaction n starts no earlier than its slot.
  async function writer(): Promise<void> {
    for (;;) {
      const first = next;
      if (first >= total) return;
      next += txSize;
      if (ratePerSecond > 0) {
        const due = started + (first / ratePerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const events = all.slice(first, first + txSize);
      // The run's own topic (a contract event is registered on its service's topic).
      await dataSource.transaction((manager) => addToOutbox(manager, events, { topic: env('BENCH_TOPIC') }));
      const committedAt = Date.now();
      if (ratePerSecond > 0) for (const event of events) commits.set(event.id, committedAt);
    }
  }
  await Promise.all(Array.from({ length: writers }, writer));
  const written = Date.now();
  for (;;) {
    const { backlog } = await relay.updateMetrics();
    if (backlog === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await relay.stop();
  if (process.env.COMMITS_FILE) writeFileSync(process.env.COMMITS_FILE, JSON.stringify([...commits]));
  send({
    kind: 'done',
    firstWriteAt: started,
    writtenAt: written,
    drainedAt: Date.now(),
    peakRssMb: peakRssMb(),
    cpuMs: cpuMs(),
  });
}

async function consumer(dataSource: DataSource): Promise<void> {
  const client = createKafkaClient({
    brokers: env('KAFKA_BROKERS').split(','),
    clientId: 'bench-consumer',
    logLevel: 'nothing',
  });
  const total = Number(env('EVENTS'));
  const projected = new Map<string, number>();
  const recordTimes = Boolean(process.env.PROJECTIONS_FILE);
  let applied = 0;
  let transactions = 0;
  let firstAppliedAt = 0;
  let lastAppliedAt = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumerInstance = new IdempotentConsumer({
    client,
    dataSource,
    groupId: env('GROUP_ID'),
    topics: [env('BENCH_TOPIC')],
    partitionsConsumedConcurrently: Number(process.env.CONSUMER_CONCURRENCY ?? 4),
    fetch: {
      minBytes: Number(process.env.CONSUMER_MIN_BYTES ?? 1),
      maxWaitTimeMs: Number(process.env.CONSUMER_MAX_WAIT_MS ?? 5_000),
    },
    handlers: {
      // The counting projection: one upsert per key per batch.
      async handleBatch(events, manager) {
        const counts = new Map<string, number>();
        for (const event of events) counts.set(event.subject, (counts.get(event.subject) ?? 0) + 1);
        await manager.query(
          `INSERT INTO bench_projection (key, events) SELECT * FROM unnest($1::text[], $2::int[])
           ON CONFLICT (key) DO UPDATE SET events = bench_projection.events + EXCLUDED.events`,
          [[...counts.keys()], [...counts.values()]],
        );
      },
    },
    hooks: {
      afterDatabaseCommit(records) {
        const now = Date.now();
        if (firstAppliedAt === 0) firstAppliedAt = now;
        lastAppliedAt = now;
        applied += records.length;
        transactions += 1;
        if (recordTimes) for (const record of records) projected.set(record.headers.ce_id, now);
        if (applied >= total) finish();
      },
    },
  });
  await consumerInstance.start();
  send({ kind: 'ready', cpuMs: cpuMs() });
  await finished;
  await consumerInstance.stop();
  if (process.env.PROJECTIONS_FILE)
    writeFileSync(process.env.PROJECTIONS_FILE, JSON.stringify([...projected]));
  send({
    kind: 'done',
    applied,
    transactions,
    firstAppliedAt,
    lastAppliedAt,
    peakRssMb: peakRssMb(),
    cpuMs: cpuMs(),
  });
}

async function main(): Promise<void> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: env('DATABASE_URL'),
    // The name lets the benchmark tell each side's PostgreSQL backends apart (pg_stat_activity).
    extra: { max: 8, application_name: `bench-${env('ROLE')}` },
  });
  await dataSource.initialize();
  try {
    if (env('ROLE') === 'producer') await producer(dataSource);
    else await consumer(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `bench ${process.env.ROLE} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
