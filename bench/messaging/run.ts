// `npm run bench:messaging`: raw kafkajs produce/consume vs the full outbox → Kafka → inbox
// pipeline on one broker and one database. Prints the figures and writes
// bench/results/messaging-latest.json. A measurement, not a test: it asserts nothing.
//
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL (server URL) when
// set (bench/infrastructure.ts); the first line of output says which. Env: BENCH_EVENTS (default 60000), BENCH_CPU_PROF_DIR
// (write a .cpuprofile per pipeline process), BENCH_SKIP_LATENCY=1 (full-speed run only, no JSON).
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runBenchmark } from '../infrastructure';
import {
  brokerPid,
  brokers,
  deleteTopics,
  KEYS,
  PARTITIONS,
  pipeline,
  rawBaseline,
  repoRoot,
  runId,
} from './pipeline-runs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const LATENCY_SECONDS = 20;

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
    raw = await rawBaseline(rawTopic, EVENTS);
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
