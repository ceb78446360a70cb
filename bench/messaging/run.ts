// `npm run bench:messaging`: raw kafkajs produce/consume vs the full outbox → Kafka → inbox
// pipeline on one broker and one database. Prints the figures and writes
// bench/results/messaging-latest.json. A measurement, not a test: it asserts nothing.
//
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL (server URL) when
// set (bench/infrastructure.ts); the first line of output says which. Env: BENCH_EVENTS (default 60000), BENCH_CPU_PROF_DIR
// (write a .cpuprofile per pipeline process), BENCH_SKIP_LATENCY=1 (full-speed run only, no JSON).
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { messagingMigrations } from '../../libs/messaging/src';
import { runBenchmark } from '../infrastructure';
import { benchEvent, cpuMs } from './pipeline-process';

const repoRoot = resolve(__dirname, '../..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const PARTITIONS = 12;
const KEYS = 500;
const LATENCY_SECONDS = 20;
const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Created once the infrastructure is up (runBenchmark sets KAFKA_BROKERS before main runs).
const brokers = () => process.env.KAFKA_BROKERS!.split(',');
let kafkaClient: Kafka | undefined;
const kafka = () =>
  (kafkaClient ??= new Kafka({ clientId: 'bench', brokers: brokers(), logLevel: logLevel.NOTHING }));

async function createTopic(topic: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  await admin.disconnect();
}

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** (a) Raw kafkajs: sendBatch the same events (same producer guarantees), then eachBatch them back. */
async function rawBaseline(topic: string): Promise<{
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
  const values = Array.from({ length: EVENTS }, (_, i) => {
    const event = benchEvent(`bench-key-${i % KEYS}`, Math.floor(i / KEYS) + 1);
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
      if (received >= EVENTS) done();
    },
  });
  await finished;
  const consumeCpu = cpuSince(consumeCpuStart);
  await consumer.disconnect();
  return {
    produceEps: Math.round(EVENTS / produceSeconds),
    consumeEps: Math.round(EVENTS / ((lastAt - consumeStart) / 1000)),
    valueBytes: values[0].value.length,
    cpuMsPer1000Events: {
      produce_client: perThousand(produceCpu.own, EVENTS),
      produce_broker: perThousand(produceCpu.broker, EVENTS),
      consume_client: perThousand(consumeCpu.own, EVENTS),
      consume_broker: perThousand(consumeCpu.broker, EVENTS),
    },
  };
}

interface ChildMessage {
  kind: string;
  [field: string]: number | string;
}

function startRole(
  role: 'producer' | 'consumer',
  env: Record<string, string>,
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
      resolve(__dirname, 'pipeline-process.ts'),
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

async function freshPipelineDatabase(name: string): Promise<void> {
  await adminQuery(`CREATE DATABASE "${name}"`);
  const dataSource = new DataSource({
    type: 'postgres',
    url: databaseUrl(name),
    migrations: messagingMigrations,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.query(`CREATE TABLE bench_projection (key text PRIMARY KEY, events integer NOT NULL)`);
  await dataSource.destroy();
}

/** CPU ms spent on `events` events, per 1,000 events. */
function perThousand(ms: number, events: number): number {
  return Math.round((ms * 1000) / events);
}

/** CPU ms per 1,000 events of each process of the pipeline: where the two cores go. */
type CpuPerThousand = Record<string, number>;

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU ms (user + system) used so far by a process (from /proc), undefined once it has ended. */
function processCpuMs(pid: string | number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function brokerPid(): string | undefined {
  const pidFile = resolve(repoRoot, '.data', 'kafka-9092', 'broker.pid');
  return existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : undefined;
}

/**
 * CPU used by the broker and by the PostgreSQL backends of one database, per side (the
 * `application_name` each side sets), sampled every 100 ms: a backend's last figure is kept after
 * its pool closes, and one that appears during the run counts from zero.
 */
class InfrastructureCpu {
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
    if (broker) processes.push({ key: 'broker', pid: Number(broker), label: 'kafka_broker' });
    for (const { key, pid, label } of processes) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.latest.set(key, { label, ms });
    }
  }
}

interface PipelineRun {
  eps: number;
  cpuMsPer1000Events: CpuPerThousand;
  /** Events per second the writers actually committed (at a fixed rate, whether they kept it). */
  writeEps: number;
  producerRssMb: number;
  consumerRssMb: number;
  latencies?: number[];
}

/** (b) The pipeline: a producing service (outbox writes + relay) and a consuming service (inbox + projection). */
async function pipeline(label: string, events: number, rate: number): Promise<PipelineRun> {
  const database = `bench_messaging_${label}_${runId}`;
  const topic = `bench.${label}.${runId}`;
  await freshPipelineDatabase(database);
  await createTopic(topic);
  const files =
    rate > 0
      ? {
          COMMITS_FILE: resolve(tmpdir(), `${database}-commits.json`),
          PROJECTIONS_FILE: resolve(tmpdir(), `${database}-projections.json`),
        }
      : undefined;
  const common = { DATABASE_URL: databaseUrl(database), BENCH_TOPIC: topic, EVENTS: String(events) };
  try {
    const consumer = startRole('consumer', {
      ...common,
      GROUP_ID: `bench-${label}-${runId}`,
      CONSUMER_CONCURRENCY: process.env.BENCH_CONSUMER_CONCURRENCY ?? '4',
      CONSUMER_MIN_BYTES: process.env.BENCH_CONSUMER_MIN_BYTES ?? '1',
      CONSUMER_MAX_WAIT_MS: process.env.BENCH_CONSUMER_MAX_WAIT_MS ?? '5000',
      ...(files ? { PROJECTIONS_FILE: files.PROJECTIONS_FILE } : {}),
    });
    const consumerReady = await consumer.next('ready');
    const producer = startRole('producer', {
      ...common,
      KEYS: String(KEYS),
      // Full speed: big transactions from two writers. At a fixed rate: small ones, like a service.
      TX_SIZE: rate > 0 ? '10' : '500',
      WRITERS: rate > 0 ? '8' : '2',
      RATE: String(rate),
      RELAY_BATCH_SIZE: process.env.BENCH_RELAY_BATCH_SIZE ?? '2000',
      RELAY_CONCURRENCY: process.env.BENCH_RELAY_CONCURRENCY ?? '2',
      ...(files ? { COMMITS_FILE: files.COMMITS_FILE } : {}),
    });
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function brokerPeakRssMb(): number | undefined {
  const pid = brokerPid();
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  console.log(
    `messaging benchmark: ${EVENTS} events, ${PARTITIONS} partitions, ${KEYS} keys, brokers ${brokers().join(',')}`,
  );
  const rawTopic = `bench.raw.${runId}`;
  let raw: Awaited<ReturnType<typeof rawBaseline>>;
  try {
    raw = await rawBaseline(rawTopic);
  } finally {
    await deleteTopics([rawTopic]);
  }
  console.log(
    `raw kafkajs: produce ${raw.produceEps} events/s, consume ${raw.consumeEps} events/s (value ${raw.valueBytes} bytes)`,
  );
  // The pipeline produces and consumes every event once with kafkajs, on the same two cores as
  // PostgreSQL: the CPU of those two steps alone bounds it, whatever the outbox and inbox cost.
  const kafkaCpu = Object.values(raw.cpuMsPer1000Events).reduce((a, b) => a + b, 0);
  const kafkaCeilingEps = Math.round(2_000_000 / Math.max(1, kafkaCpu));
  console.log(
    `  CPU ms per 1,000 events: ${Object.entries(raw.cpuMsPer1000Events)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; kafkajs produce + consume alone cap 2 cores at ${kafkaCeilingEps} events/s ` +
      `(${(kafkaCeilingEps / raw.consumeEps).toFixed(2)} × raw consume)`,
  );

  const full = await pipeline('max', EVENTS, 0);
  console.log(
    `pipeline outbox → Kafka → inbox: ${full.eps} events/s (${(full.eps / raw.consumeEps).toFixed(2)} × raw consume)`,
  );
  const cpuTotal = Object.values(full.cpuMsPer1000Events).reduce((a, b) => a + b, 0);
  console.log(
    `  CPU ms per 1,000 events: ${Object.entries(full.cpuMsPer1000Events)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; total ${cpuTotal} (2 cores → at most ${Math.round(2_000_000 / cpuTotal)} events/s)`,
  );

  if (process.env.BENCH_SKIP_LATENCY === '1') return;
  const rate = Math.max(1, Math.round(full.eps / 2));
  const latencyEvents = rate * LATENCY_SECONDS;
  const paced = await pipeline('latency', latencyEvents, rate);
  const latencies = (paced.latencies ?? []).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const missing = (paced.latencies?.length ?? 0) - latencies.length;
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(
    `commit → projection at ${rate} events/s asked, ${paced.writeEps} events/s committed: p50 ${p50} ms, p99 ${p99} ms` +
      (missing ? ` (${missing} without a projection time)` : ''),
  );

  const peakRss = {
    bench_raw_kafkajs: Math.round(process.resourceUsage().maxRSS / 1024),
    pipeline_producer_outbox_relay: Math.max(full.producerRssMb, paced.producerRssMb),
    pipeline_consumer_inbox: Math.max(full.consumerRssMb, paced.consumerRssMb),
    ...(brokerPeakRssMb() !== undefined ? { kafka_broker: brokerPeakRssMb() } : {}),
  };
  console.log(
    `peak RSS (MB): ${Object.entries(peakRss)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );

  const result = {
    measured_at: new Date().toISOString(),
    events: EVENTS,
    partitions: PARTITIONS,
    keys: KEYS,
    value_bytes: raw.valueBytes,
    raw_produce_eps: raw.produceEps,
    raw_consume_eps: raw.consumeEps,
    raw_cpu_ms_per_1000_events: raw.cpuMsPer1000Events,
    kafkajs_produce_consume_ceiling_eps: kafkaCeilingEps,
    kafkajs_ceiling_to_raw_consume_ratio: Number((kafkaCeilingEps / raw.consumeEps).toFixed(3)),
    pipeline_eps: full.eps,
    pipeline_to_raw_consume_ratio: Number((full.eps / raw.consumeEps).toFixed(3)),
    latency_rate_eps: rate,
    latency_committed_eps: paced.writeEps,
    commit_to_projection_p50_ms: p50,
    commit_to_projection_p99_ms: p99,
    peak_rss_mb: peakRss,
    pipeline_cpu_ms_per_1000_events: full.cpuMsPer1000Events,
    targets: {
      pipeline_eps_min: 5_000,
      pipeline_to_raw_consume_ratio_min: 0.25,
      commit_to_projection_p99_ms_max: 1_000,
    },
  };
  mkdirSync(resolve(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(
    resolve(repoRoot, 'bench', 'results', 'messaging-latest.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log('written bench/results/messaging-latest.json');
}

runBenchmark('bench:messaging', main);
