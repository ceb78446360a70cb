// `npm run bench`: our pipeline (outbox → relay → Kafka → idempotent consumer → projection) beside
// the peer a NestJS team would build (bench/peers/nest-kafka) and beside the floor (raw kafkajs
// produce + consume of the same records, and PostgreSQL executing only the required rows), in one
// run on the same broker and database server; then the city figures. Prints a table and writes
// bench/results/e2e-latest.json. A measurement, not a test: it asserts nothing.
//
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL (server URL)
// when set (bench/infrastructure.ts). Env: BENCH_EVENTS (default 30000), BENCH_TX_SIZE (events per
// producer transaction, default 10) and BENCH_WRITERS (default 8) for both producers,
// BENCH_CPU_PROF_DIR (a .cpuprofile per child process; profiling slows them, so not for the
// figures), BENCH_CITY_REPORTING_DATABASE_URL (the reporting database of a stack the city-15-days
// simulation ran on, with KAFKA_BROKERS its broker: replay_15_days_s is a rebuild of it).
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { runBenchmark } from '../infrastructure';
import { lastReplay, REPLAY_FILE, replay } from './replay';
import {
  adminQuery,
  type CpuPerThousand,
  databaseUrl,
  deleteTopics,
  freshPipelineDatabase,
  KEYS,
  PARTITIONS,
  perThousand,
  pipeline,
  rawBaseline,
  repoRoot,
  runId,
} from '../messaging/pipeline-runs';
import { PEER_TABLES_SQL } from '../peers/nest-kafka/entities';
import { dossierReceivedEvent } from '../support/contract-events';
import { cityFigures, type CpuBreakdown, e2eResults, e2eTable } from './results';
import { requiredRowsCpu } from './required-rows';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const TX_SIZE = Number(process.env.BENCH_TX_SIZE ?? 10);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const RELAY_BATCH = 2_000;
const EVENT_TYPE = 'dossier.received.v1';
const CITY_FILE = resolve(repoRoot, 'bench', 'results', 'city-15-days-latest.json');
const RESULTS_FILE = resolve(repoRoot, 'bench', 'results', 'e2e-latest.json');
const log = (line: string) => console.log(`[bench] ${line}`);
const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);
const show = (breakdown: CpuBreakdown) =>
  Object.entries(breakdown)
    .map(([part, ms]) => `${part} ${ms}`)
    .join(', ');

/** The same records for every side: the `sequence`-th event of key `i % KEYS`, as the pipeline builds them. */
function theEvents() {
  const sequences = new Array<number>(KEYS).fill(0);
  return Array.from({ length: EVENTS }, (_, i) => {
    sequences[i % KEYS] += 1;
    return dossierReceivedEvent(`bench-key-${i % KEYS}`, sequences[i % KEYS]);
  });
}

/** The floor: raw kafkajs produce + consume (client and broker), then only the required rows. */
async function floor(consumerBatch: number): Promise<{ cpu: CpuBreakdown; eventBytes: number }> {
  const topic = `bench.e2e-floor.${runId}`;
  let kafka: Awaited<ReturnType<typeof rawBaseline>>;
  try {
    kafka = await rawBaseline(topic, EVENTS, dossierReceivedEvent);
  } finally {
    await deleteTopics([topic]);
  }
  const database = `bench_e2e_floor_${runId}`;
  await freshPipelineDatabase(database);
  try {
    const rows = await requiredRowsCpu({
      databaseUrl: databaseUrl(database),
      events: theEvents(),
      topic,
      txSize: TX_SIZE,
      publishBatch: RELAY_BATCH,
      consumerBatch,
    });
    return {
      eventBytes: kafka.valueBytes,
      cpu: {
        kafkajs_produce: kafka.cpuMsPer1000Events.produce_client,
        kafkajs_consume: kafka.cpuMsPer1000Events.consume_client,
        kafka_broker: kafka.cpuMsPer1000Events.produce_broker + kafka.cpuMsPer1000Events.consume_broker,
        pg_client_required_rows: perThousand(rows.clientMs, EVENTS),
        postgres_required_rows: perThousand(rows.postgresMs, EVENTS),
      },
    };
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

/** The peer's processes under the names of what they are (pipeline() names ours). */
function peerBreakdown(cpu: CpuPerThousand): CpuBreakdown {
  const names: Record<string, string> = {
    producer_outbox_relay: 'producer_nest_save_emit',
    consumer_inbox: 'consumer_nest_event_pattern',
  };
  return Object.fromEntries(Object.entries(cpu).map(([part, ms]) => [names[part] ?? part, ms]));
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  log(
    `${EVENTS} ${EVENT_TYPE} events, ${KEYS} keys, ${PARTITIONS} partitions; producers: ${WRITERS} writers × ` +
      `${TX_SIZE} events per transaction; ${cpus().length} cores, load average ${loadAtStart.join(' ')}`,
  );
  const common = {
    txSize: TX_SIZE,
    writers: WRITERS,
    env: { BENCH_EVENT: EVENT_TYPE, KEYS: String(KEYS) },
  };
  const ours = await pipeline('e2e_pipeline', EVENTS, 0, common);
  log(`pipeline: ${ours.eps} events/s; CPU ms per 1,000 events: ${show(ours.cpuMsPer1000Events)}`);
  const peer = await pipeline('e2e_peer', EVENTS, 0, {
    ...common,
    script: resolve(__dirname, '../peers/nest-kafka/peer-process.ts'),
    extraSql: PEER_TABLES_SQL,
  });
  const peerCpu = peerBreakdown(peer.cpuMsPer1000Events);
  log(`naive NestJS peer: ${peer.eps} events/s; CPU ms per 1,000 events: ${show(peerCpu)}`);
  // The floor's consumer-side rows go in the pipeline's own mean batch (what its fetches gave).
  const consumerBatch = Math.max(1, Math.round(EVENTS / Math.max(1, ours.consumerTransactions)));
  const floorRun = await floor(consumerBatch);
  log(`floor: CPU ms per 1,000 events: ${show(floorRun.cpu)} (consumer batches of ${consumerBatch})`);

  const cityText = existsSync(CITY_FILE) ? readFileSync(CITY_FILE, 'utf8') : undefined;
  const city = cityFigures(
    relative(repoRoot, CITY_FILE),
    cityText,
    cityText === undefined ? undefined : statSync(CITY_FILE).mtime,
  );
  log(`city figures: ${city.city15DaysWallS.source}`);
  // Pointed at a city stack: a rebuild now; otherwise the last `npm run bench:replay`, if any.
  const replayFigure = process.env.BENCH_CITY_REPORTING_DATABASE_URL
    ? await replay(log)
    : (lastReplay(REPLAY_FILE) ?? (await replay(log)));
  log(`replay_15_days_s: ${replayFigure.source}`);

  const results = e2eResults({
    measuredAt: new Date().toISOString(),
    machine: { cores: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAverage() },
    workload: {
      events: EVENTS,
      keys: KEYS,
      partitions: PARTITIONS,
      eventType: EVENT_TYPE,
      eventBytes: floorRun.eventBytes,
      txSize: TX_SIZE,
      writers: WRITERS,
    },
    pipeline: {
      eps: ours.eps,
      cpu: ours.cpuMsPer1000Events,
      consumerTransactions: ours.consumerTransactions,
    },
    naiveNest: { eps: peer.eps, cpu: peerCpu, consumerTransactions: peer.consumerTransactions },
    floor: { cpu: floorRun.cpu },
    city15DaysWallS: city.city15DaysWallS,
    replay15DaysS: replayFigure,
    freshnessP99Ms: city.freshnessP99Ms,
  });
  console.log(`\n${e2eTable(results)}\n`);
  for (const [key, source] of Object.entries(results.sources)) console.log(`${key}: ${source}`);
  mkdirSync(resolve(RESULTS_FILE, '..'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${relative(repoRoot, RESULTS_FILE)}`);
}

runBenchmark('bench', main);
