// One live reporting consumer in its own process, for `bench:reporting` with BENCH_LIVE_PROCESSES > 1
// (several replicas of the service in one consumer group: each takes its share of the partitions).
// Env: DATABASE_URL (the bench database), KAFKA_BROKERS, BENCH_TOPIC, GROUP_ID, LIVE_CONCURRENCY.
// Prints one JSON line when stdin closes: first/last applied times, events applied, CPU used.
import 'reflect-metadata';
import { createKafkaClient, IdempotentConsumer } from '@backbone/messaging';
import { createReportingDataSource } from '../../services/reporting/src/database/data-source';
import { applyLiveBatch } from '../../services/reporting/src/projections/projection-writer';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const dataSource = createReportingDataSource(env('DATABASE_URL'), 4);
  await dataSource.initialize();
  let applied = 0;
  let first: number | undefined;
  let last = 0;
  const cpuStart = process.cpuUsage();
  const consumer = new IdempotentConsumer({
    client: createKafkaClient({
      brokers: env('KAFKA_BROKERS').split(','),
      clientId: 'bench-live',
      logLevel: 'nothing',
    }),
    dataSource,
    groupId: env('GROUP_ID'),
    topics: [env('BENCH_TOPIC')],
    maxRecordsPerTransaction: 5_000,
    partitionsConsumedConcurrently: Number(process.env.LIVE_CONCURRENCY ?? 2),
    handlers: {
      handleBatch: async (batch, manager, positions) => {
        first ??= Date.now();
        await applyLiveBatch(manager, batch, positions);
        applied += batch.length;
        last = Date.now();
      },
    },
  });
  await consumer.start();
  process.stdout.write(`${JSON.stringify({ kind: 'ready' })}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.resume();
  });
  await consumer.stop();
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(
    `${JSON.stringify({ kind: 'done', applied, first: first ?? 0, last, cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`,
  );
  await dataSource.destroy();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`live consumer failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
