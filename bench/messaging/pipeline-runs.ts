// The pieces of the messaging benchmark that other benchmarks run too (bench:e2e runs the same
// pipeline beside a NestJS peer): the raw kafkajs baseline, a child process per side speaking JSON
// lines, a fresh database per run, and the CPU of every process involved.
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { CloudEvent } from '@backbone/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { messagingMigrations } from '../../libs/messaging/src';
import { brokerPid as brokerPidOnPort, processCpuMs } from '../support/cpu';
import { benchEvent, cpuMs } from './pipeline-process';

export const repoRoot = resolve(__dirname, '../..');
export const PARTITIONS = 12;
export const KEYS = 500;
export const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const PIPELINE_PROCESS = resolve(__dirname, 'pipeline-process.ts');

export function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Created once the infrastructure is up (runBenchmark sets KAFKA_BROKERS before main runs).
export const brokers = () => process.env.KAFKA_BROKERS!.split(',');
let kafkaClient: Kafka | undefined;
export const kafka = () =>
  (kafkaClient ??= new Kafka({ clientId: 'bench', brokers: brokers(), logLevel: logLevel.NOTHING }));

export async function createTopic(topic: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    // A broker that has just started on a busy machine may answer the leader wait with "does not
    // host this topic-partition" for a few seconds: ask again (createTopics is a no-op once it exists).
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        });
        const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        if (metadata.partitions.every((partition) => partition.leader >= 0)) return;
        throw new Error(`${topic}: partitions without a leader`);
      } catch (error) {
        if (attempt >= 15) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** (a) Raw kafkajs: sendBatch the same events (same producer guarantees), then eachBatch them back. */
export async function rawBaseline(
  topic: string,
  events: number,
  eventFor: (key: string, sequence: number) => CloudEvent = benchEvent,
): Promise<{
  produceEps: number;
  consumeEps: number;
  valueBytes: number;
  /** CPU ms per 1,000 events of this process and of the broker, for the produce and the consume. */
  cpuMsPer1000Events: {
    produce_client: number;
    produce_broker: number;
    consume_client: number;
    consume_broker: number;
  };
}> {
  await createTopic(topic);
  const values = Array.from({ length: events }, (_, i) => {
    const event = eventFor(`bench-key-${i % KEYS}`, Math.floor(i / KEYS) + 1);
    return {
      key: event.subject,
      value: JSON.stringify(event),
      headers: { ce_type: event.type, ce_id: event.id },
    };
  });
  const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const broker = brokerPid();
  const brokerCpu = () => (broker ? (processCpuMs(broker) ?? 0) : 0);
  // This process's and the broker's CPU ms so far; a step's figure is the difference.
  const cpuNow = () => ({ own: cpuMs(), broker: brokerCpu() });
  const cpuSince = (start: { own: number; broker: number }) => {
    const now = cpuNow();
    return { own: now.own - start.own, broker: now.broker - start.broker };
  };
  const produceCpuStart = cpuNow();
  const produceStart = performance.now();
  for (let i = 0; i < values.length; i += 2_000) {
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: values.slice(i, i + 2_000) }] });
  }
  const produceSeconds = (performance.now() - produceStart) / 1000;
  const produceCpu = cpuSince(produceCpuStart);
  await producer.disconnect();

  const consumer = kafka().consumer({ groupId: `bench-raw-${runId}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let received = 0;
  let lastAt = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolveDone) => (done = resolveDone));
  // run() resolves once the group is joined; fetching starts then.
  const consumeCpuStart = cpuNow();
  const consumeStart = performance.now();
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: true,
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch }) => {
      received += batch.messages.length;
      lastAt = performance.now();
      if (received >= events) done();
    },
  });
  await finished;
  const consumeCpu = cpuSince(consumeCpuStart);
  await consumer.disconnect();
  return {
    produceEps: Math.round(events / produceSeconds),
    consumeEps: Math.round(events / ((lastAt - consumeStart) / 1000)),
    valueBytes: values[0].value.length,
    cpuMsPer1000Events: {
      produce_client: perThousand(produceCpu.own, events),
      produce_broker: perThousand(produceCpu.broker, events),
      consume_client: perThousand(consumeCpu.own, events),
      consume_broker: perThousand(consumeCpu.broker, events),
    },
  };
}

export interface ChildMessage {
  kind: string;
  [field: string]: number | string;
}

/** A side of a pipeline in its own process (`script`, ROLE=producer|consumer), read through JSON lines. */
export function startRole(
  role: 'producer' | 'consumer',
  env: Record<string, string>,
  script: string = PIPELINE_PROCESS,
): { child: ChildProcess; next(kind: string): Promise<ChildMessage> } {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF_DIR=<dir>: a V8 CPU profile of each side, to see where its time goes.
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      '-r',
      '@swc-node/register',
      script,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tools/tsconfig.json',
        ROLE: role,
        KAFKA_BROKERS: brokers().join(','),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const messages: ChildMessage[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('{"kind"')) messages.push(JSON.parse(line) as ChildMessage);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`${role} exited with ${code}`))),
  );
  exited.catch(() => undefined);
  return {
    child,
    async next(kind) {
      for (;;) {
        const index = messages.findIndex((m) => m.kind === kind);
        if (index >= 0) return messages.splice(index, 1)[0];
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited]);
      }
    },
  };
}

/** A new database with the messaging tables, the counting projection and `extraSql` (a peer's tables). */
export async function freshPipelineDatabase(name: string, extraSql: string[] = []): Promise<void> {
  await adminQuery(`CREATE DATABASE "${name}"`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl(name),
    migrations: messagingMigrations,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.query(`CREATE TABLE bench_projection (key text PRIMARY KEY, events integer NOT NULL)`);
  for (const sql of extraSql) await dataSource.query(sql);
  await dataSource.destroy();
}

/** CPU ms spent on `events` events, per 1,000 events. */
export function perThousand(ms: number, events: number): number {
  return Math.round((ms * 1000) / events);
}

/** CPU ms per 1,000 events of each process of the pipeline: where the two cores go. */
export type CpuPerThousand = Record<string, number>;

/** The broker process of the first of KAFKA_BROKERS (on this machine), for its CPU and memory. */
export function brokerPid(): number | undefined {
  const port = brokers()[0]?.split(':').pop() ?? '9092';
  return brokerPidOnPort(repoRoot, port);
}

/**
 * CPU used by the broker and by the PostgreSQL backends of one database, per side (the
 * `application_name` each side sets), sampled every 100 ms: a backend's last figure is kept after
 * its pool closes, and one that appears during the run counts from zero.
 */
export class InfrastructureCpu {
  private readonly start = new Map<string, number>();
  private readonly latest = new Map<string, { label: string; ms: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly client: Client;

  constructor(private readonly database: string) {
    this.client = new Client({ connectionString: databaseUrl('postgres') });
  }

  async begin(): Promise<void> {
    await this.client.connect();
    await this.sample();
    for (const [key, { ms }] of this.latest) this.start.set(key, ms);
    const tick = () =>
      this.sample().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, 100);
      });
    this.timer = setTimeout(tick, 100);
  }

  /** CPU ms per label since begin(). */
  async end(): Promise<Record<string, number>> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sample();
    await this.client.end();
    const used: Record<string, number> = {};
    for (const [key, { label, ms }] of this.latest)
      used[label] = (used[label] ?? 0) + ms - (this.start.get(key) ?? 0);
    return used;
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query<{ pid: number; application_name: string }>(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = $1`,
      [this.database],
    );
    const processes = rows.map((row) => ({
      key: `pg-${row.pid}`,
      pid: row.pid,
      label: `postgres_for_${(row.application_name || 'other').replace(/^bench-/, '').replace(/\W/g, '_')}`,
    }));
    const broker = brokerPid();
    if (broker) processes.push({ key: 'broker', pid: broker, label: 'kafka_broker' });
    for (const { key, pid, label } of processes) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.latest.set(key, { label, ms });
    }
  }
}

export interface PipelineRun {
  eps: number;
  cpuMsPer1000Events: CpuPerThousand;
  /** Events per second the writers actually committed (at a fixed rate, whether they kept it). */
  writeEps: number;
  producerRssMb: number;
  consumerRssMb: number;
  /** Transactions the consuming side committed (its batches). */
  consumerTransactions: number;
  latencies?: number[];
}

export interface PipelineOptions {
  /** The two sides' script (ROLE=producer|consumer); default the outbox → inbox pipeline-process.ts. */
  script?: string;
  /** Events per producer transaction and concurrent writers; default 500 × 2 at full speed, 10 × 8 at a rate. */
  txSize?: number;
  writers?: number;
  /** Tables the script needs beside the messaging ones. */
  extraSql?: string[];
  /** More environment for both sides. */
  env?: Record<string, string>;
}

/**
 * (b) A pipeline: a producing service (by default outbox writes + relay) and a consuming service
 * (by default inbox + projection), each its own process; `rate` 0 is full speed.
 */
export async function pipeline(
  label: string,
  events: number,
  rate: number,
  options: PipelineOptions = {},
): Promise<PipelineRun> {
  const database = `bench_messaging_${label}_${runId}`;
  const topic = `bench.${label}.${runId}`;
  await freshPipelineDatabase(database, options.extraSql);
  const files =
    rate > 0
      ? {
          COMMITS_FILE: resolve(tmpdir(), `${database}-commits.json`),
          PROJECTIONS_FILE: resolve(tmpdir(), `${database}-projections.json`),
        }
      : undefined;
  const common = {
    DATABASE_URL: databaseUrl(database),
    BENCH_TOPIC: topic,
    EVENTS: String(events),
    ...options.env,
  };
  try {
    // Inside the try: a topic that cannot be created still drops the database.
    await createTopic(topic);
    const consumer = startRole(
      'consumer',
      {
        ...common,
        GROUP_ID: `bench-${label}-${runId}`,
        CONSUMER_CONCURRENCY: process.env.BENCH_CONSUMER_CONCURRENCY ?? '4',
        CONSUMER_MIN_BYTES: process.env.BENCH_CONSUMER_MIN_BYTES ?? '1',
        CONSUMER_MAX_WAIT_MS: process.env.BENCH_CONSUMER_MAX_WAIT_MS ?? '5000',
        ...(files ? { PROJECTIONS_FILE: files.PROJECTIONS_FILE } : {}),
      },
      options.script,
    );
    const consumerReady = await consumer.next('ready');
    const producer = startRole(
      'producer',
      {
        ...common,
        KEYS: String(KEYS),
        // Full speed: big transactions from two writers. At a fixed rate: small ones, like a service.
        TX_SIZE: String(options.txSize ?? (rate > 0 ? 10 : 500)),
        WRITERS: String(options.writers ?? (rate > 0 ? 8 : 2)),
        RATE: String(rate),
        RELAY_BATCH_SIZE: process.env.BENCH_RELAY_BATCH_SIZE ?? '2000',
        RELAY_CONCURRENCY: process.env.BENCH_RELAY_CONCURRENCY ?? '2',
        ...(files ? { COMMITS_FILE: files.COMMITS_FILE } : {}),
      },
      options.script,
    );
    const writing = await producer.next('writing');
    const infrastructure = new InfrastructureCpu(database);
    await infrastructure.begin();
    const [produced, consumed] = await Promise.all([producer.next('done'), consumer.next('done')]);
    const infrastructureMs = await infrastructure.end();
    const cpuMsPer1000Events: CpuPerThousand = {
      producer_outbox_relay: perThousand(Number(produced.cpuMs) - Number(writing.cpuMs), events),
      consumer_inbox: perThousand(Number(consumed.cpuMs) - Number(consumerReady.cpuMs), events),
      ...Object.fromEntries(
        Object.entries(infrastructureMs).map(([label, ms]) => [label, perThousand(ms, events)]),
      ),
    };
    const seconds = (Number(consumed.lastAppliedAt) - Number(writing.at)) / 1000;
    const since = (at: number | string) => `${((Number(at) - Number(writing.at)) / 1000).toFixed(2)} s`;
    console.log(
      `  ${label}: written after ${since(produced.writtenAt)}, relay drained after ${since(produced.drainedAt)}, ` +
        `first projection after ${since(consumed.firstAppliedAt)}, last after ${since(consumed.lastAppliedAt)}, ` +
        `${consumed.transactions} consumer transactions (${Math.round(Number(consumed.applied) / Number(consumed.transactions))} events each)`,
    );
    const result: PipelineRun = {
      eps: Math.round(events / seconds),
      cpuMsPer1000Events,
      writeEps: Math.round(events / ((Number(produced.writtenAt) - Number(writing.at)) / 1000)),
      producerRssMb: Number(produced.peakRssMb),
      consumerRssMb: Number(consumed.peakRssMb),
      consumerTransactions: Number(consumed.transactions),
    };
    if (files) {
      const commits = new Map<string, number>(JSON.parse(readFileSync(files.COMMITS_FILE, 'utf8')));
      const projections = new Map<string, number>(JSON.parse(readFileSync(files.PROJECTIONS_FILE, 'utf8')));
      result.latencies = [...commits].map(
        ([id, committedAt]) => (projections.get(id) ?? Number.NaN) - committedAt,
      );
    }
    return result;
  } finally {
    if (files) Object.values(files).forEach((file) => rmSync(file, { force: true }));
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await deleteTopics([topic]);
  }
}
