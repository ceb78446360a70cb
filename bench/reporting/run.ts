// `npm run bench:reporting`: events/s of the live projection (the service's projection consumer on
// the inbox transport: the idempotent consumer in batch mode writing pre-aggregated upserts), of a rebuild, and of a raw consume of the same topic by
// the messaging lib's thin kafkajs wrapper, all in one run on the same data. A script, not a
// test: it prints the figures and writes bench/results/reporting-latest.json.
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL (server URL) when
// set (bench/infrastructure.ts); the first line of output says which. Env: BENCH_EVENTS (default 50000), BENCH_PARTITIONS (default 6).
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector';
import { resolve } from 'node:path';
import type { BackboneEvent } from '@backbone/contracts';
import {
  createKafkaClient,
  ephemeralGroupId,
  InboxBatch,
  type InboxBatchContext,
  InboxConsumer,
  inboxTransport,
  MessagingModule,
} from '@backbone/messaging';
import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createTestDatabase, createTestTopics, eventually, uniqueName } from '@backbone/testing';
import type { DataSource } from 'typeorm';
import { ProjectEventsConsumer } from '../../services/reporting/src/consumers/project-events.consumer';
import { createReportingDataSource } from '../../services/reporting/src/database/data-source';
import { rebuildProjections } from '../../services/reporting/src/rebuild/rebuild-projections';
import { HANOI_UNIT_CODES } from '../../services/reporting/src/units/units';
import { generateDossierEvents } from '../../services/reporting/test/builders/generate-dossier-events';
import { publishEvents } from '../../services/reporting/test/support/reporting-process';
import { runBenchmark } from '../infrastructure';

// Read once the infrastructure is up (runBenchmark sets KAFKA_BROKERS before main runs).
const brokers = () => process.env.KAFKA_BROKERS!.split(',');
const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const partitions = Number(process.env.BENCH_PARTITIONS ?? 6);
const log = (line: string) => console.log(`[bench:reporting] ${line}`);
// The live consumer's settings (the service's REPORTING_PARTITIONS_CONSUMED_CONCURRENTLY and fetch sizing).
const liveConcurrency = Number(process.env.BENCH_LIVE_CONCURRENCY ?? 6);
/** BENCH_LIVE_PROCESSES > 1: that many consumer processes in the group (replicas of the service), each its own CPU. */
const liveProcesses = Number(process.env.BENCH_LIVE_PROCESSES ?? 1);
const liveFetch = {
  minBytes: Number(process.env.BENCH_LIVE_MIN_BYTES ?? 1),
  maxWaitTimeMs: Number(process.env.BENCH_LIVE_MAX_WAIT_MS ?? 5_000),
};

async function rawConsumeEps(topic: string): Promise<number> {
  const client = createKafkaClient({ brokers: brokers(), clientId: 'bench-raw' });
  const groupId = ephemeralGroupId('bench.raw');
  const consumer = client.consumer({
    groupId,
    topics: [topic],
    fromBeginning: true,
    maxBytesPerPartition: 8 * 1_048_576,
  });
  let count = 0;
  let first: number | undefined;
  let last = 0;
  await consumer.connect();
  await consumer.run(async (batch) => {
    first ??= Date.now();
    for (const record of batch.records) if (record.value) JSON.parse(record.value.toString('utf8'));
    count += batch.records.length;
    last = Date.now();
    batch.resolveThrough(batch.records[batch.records.length - 1]!.offset);
  });
  await eventually(
    () => {
      if (count < total) throw new Error(`raw ${count}/${total}`);
    },
    { timeoutMs: 300_000, intervalMs: 20 },
  );
  await consumer.disconnect();
  await client.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  return total / Math.max(0.001, (last - first!) / 1000);
}

/** What the measured live service saw: events applied, transactions, first and last applied times. */
const liveProgress = { applied: 0, transactions: 0, first: undefined as number | undefined, last: 0 };

/** The service's projection consumer, timed. */
@InboxConsumer()
class MeasuredProjectEventsConsumer extends ProjectEventsConsumer {
  @InboxBatch()
  override async project(
    @Payload() events: BackboneEvent[],
    @Ctx() context: InboxBatchContext,
  ): Promise<void> {
    liveProgress.first ??= Date.now();
    await super.project(events, context);
    liveProgress.applied += events.length;
    liveProgress.transactions += 1;
    liveProgress.last = Date.now();
  }
}

/** The live projection as the service runs it: MessagingModule's consumer group on the inbox transport. */
async function startLiveService(
  dataSource: DataSource,
  groupId: string,
  topic: string,
): Promise<INestMicroservice> {
  class LiveProjectionBench {}
  const module: DynamicModule = {
    module: LiveProjectionBench,
    imports: [
      MessagingModule.forRoot({
        serviceName: 'bench-live',
        brokers: brokers(),
        relay: false,
        consumers: [
          {
            groupId,
            topics: [topic],
            maxRecordsPerTransaction: 5_000,
            partitionsConsumedConcurrently: liveConcurrency,
            fetch: liveFetch,
          },
        ],
      }),
    ],
    providers: [{ provide: getDataSourceToken(), useValue: dataSource }],
    controllers: [MeasuredProjectEventsConsumer],
  };
  const app = await NestFactory.createMicroservice(module, { ...inboxTransport(), logger: false });
  await app.listen();
  return app;
}

interface LiveReplica {
  ready: Promise<void>;
  stop(): Promise<{ applied: number; first: number; last: number; cpuMs: number }>;
}

function startLiveProcesses(databaseUrl: string, topic: string, groupId: string): LiveReplica[] {
  return Array.from({ length: liveProcesses }, () => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', resolve(__dirname, 'live-consumer-process.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          BENCH_TOPIC: topic,
          GROUP_ID: groupId,
          LIVE_CONCURRENCY: String(liveConcurrency),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines: Record<string, number | string>[] = [];
    const waiters: (() => void)[] = [];
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('{"kind"')) lines.push(JSON.parse(line) as Record<string, number | string>);
        waiters.splice(0).forEach((wake) => wake());
      }
    });
    const next = async (kind: string) => {
      for (;;) {
        const found = lines.find((line) => line.kind === kind);
        if (found) return found;
        await new Promise<void>((wake) => waiters.push(wake));
      }
    };
    return {
      ready: next('ready').then(() => undefined),
      async stop() {
        child.stdin!.end();
        const done = await next('done');
        return {
          applied: Number(done.applied),
          first: Number(done.first),
          last: Number(done.last),
          cpuMs: Number(done.cpuMs),
        };
      },
    };
  });
}

/** BENCH_LIVE_CPU_PROF=<file>: a V8 CPU profile of the live phase only (not generation, publishing or raw). */
async function profileLivePhase(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_LIVE_CPU_PROF;
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((done, fail) =>
      session.post(method, (error, result) => (error ? fail(error) : done(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** CPU ms used so far by each PostgreSQL backend of one database (Linux /proc; the pool keeps them open). */
async function backendCpuMs(dataSource: DataSource, database: string): Promise<Map<number, number>> {
  const rows: { pid: number }[] = await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // clock ticks of 10 ms
    } catch {
      // ended meanwhile
    }
  }
  return used;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('reporting_bench');
  const dataSource = createReportingDataSource(database.url, 8);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const topic = uniqueName('bench_reporting_dossier_events');
  try {
    log(`generating ${total} dossier events across ${HANOI_UNIT_CODES.length} units ...`);
    const events = generateDossierEvents({ targetEvents: total, unitCodes: HANOI_UNIT_CODES, seed: 99 });
    await createTestTopics([{ topic, numPartitions: partitions }]);
    await publishEvents(topic, events);
    log(`published to ${topic} (${partitions} partitions)`);

    const raw = await rawConsumeEps(topic);
    log(`raw consume: ${Math.round(raw)} events/s`);

    const groupId = uniqueName('bench_reporting');
    let live: INestMicroservice | undefined;
    const liveCpuStart = process.cpuUsage();
    const liveBackendsStart = await backendCpuMs(dataSource, database.name);
    const stopProfiling = await profileLivePhase();
    const replicas = liveProcesses > 1 ? startLiveProcesses(database.url, topic, groupId) : undefined;
    if (replicas) await Promise.all(replicas.map((r) => r.ready));
    else live = await startLiveService(dataSource, groupId, topic);
    const inboxCount = async (): Promise<number> => {
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1`,
        [groupId],
      );
      return n as number;
    };
    await eventually(
      async () => {
        // In one process the handler's own count says when it is done: polling count(*) over the
        // growing inbox every 20 ms took PostgreSQL CPU (and pool connections) from the consumer measured.
        const n = replicas ? await inboxCount() : liveProgress.applied;
        if (n < total) throw new Error(`live ${n}/${total}`);
      },
      { timeoutMs: 600_000, intervalMs: 20 },
    );
    let replicaCpuMs = 0;
    let { applied, first, last } = liveProgress;
    const { transactions } = liveProgress;
    if (replicas) {
      const results = await Promise.all(replicas.map((r) => r.stop()));
      applied = results.reduce((sum, r) => sum + r.applied, 0);
      first = Math.min(...results.filter((r) => r.applied > 0).map((r) => r.first));
      last = Math.max(...results.map((r) => r.last));
      replicaCpuMs = results.reduce((sum, r) => sum + r.cpuMs, 0);
    } else {
      // stop() lets the last transaction commit: then the inbox must hold every event exactly once.
      await live!.close();
      if ((await inboxCount()) !== total) throw new Error(`live: the inbox does not hold ${total} events`);
    }
    await stopProfiling();
    const liveEps = applied / Math.max(0.001, (last - first!) / 1000);
    const ownCpu = process.cpuUsage(liveCpuStart);
    const liveNodeCpu = replicas ? { user: replicaCpuMs * 1000, system: 0 } : ownCpu;
    let livePostgresMs = 0;
    for (const [pid, ms] of await backendCpuMs(dataSource, database.name))
      livePostgresMs += ms - (liveBackendsStart.get(pid) ?? 0);
    const liveCpu = {
      consumer_process: Math.round((liveNodeCpu.user + liveNodeCpu.system) / total),
      // The replicas' backends close with their pools before they can be read: not measured then.
      postgres_backends: replicas ? null : Math.round((livePostgresMs * 1000) / total),
    };
    log(
      `live projection (${liveProcesses} process${liveProcesses > 1 ? 'es' : ''}): ${Math.round(liveEps)} events/s, ` +
        `${replicas ? '' : `${transactions} transactions; `}CPU per 1,000 events: ` +
        `consumer ${liveCpu.consumer_process} ms, PostgreSQL ${liveCpu.postgres_backends ?? 'not measured'} ms`,
    );

    const rebuild = await rebuildProjections({
      dataSource,
      client: createKafkaClient({ brokers: brokers(), clientId: 'bench-rebuild' }),
      topics: [topic],
      liveGroupId: groupId,
      log,
    });

    const results = {
      benchmark: 'reporting',
      measuredAt: new Date().toISOString(),
      events: total,
      partitions,
      live_projection_eps: Math.round(liveEps),
      rebuild_eps: Math.round(rebuild.eventsPerSecond),
      raw_consume_eps: Math.round(raw),
      live_vs_raw: Number((liveEps / raw).toFixed(3)),
      live_consumer: { partitionsConsumedConcurrently: liveConcurrency, ...liveFetch },
      live_processes: liveProcesses,
      ...(replicas ? {} : { live_transactions: transactions }),
      live_cpu_ms_per_1000_events: liveCpu,
      targets: { live_vs_raw_min: 0.3, rebuild_eps_min: 10_000 },
      note: 'Rates from the first record to the last applied (consumer-group join excluded); raw = messaging lib kafkajs wrapper + JSON.parse.',
    };
    const file = resolve(__dirname, '../results/reporting-latest.json');
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(JSON.stringify(results));
    log(`written to ${file}`);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

runBenchmark('bench:reporting', main);
