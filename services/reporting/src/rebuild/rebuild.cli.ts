// `node dist/rebuild/rebuild.cli.js` (or via @swc-node/register from src): rebuilds every
// projection from the beginning of the topics into a new generation and switches to it.
// Env: DATABASE_URL, KAFKA_BROKERS, REPORTING_TOPICS (default every *.events.v1),
// REPORTING_CONSUMER_GROUP (the live group, default reporting), REBUILD_PROGRESS_MS (default 10 s),
// REBUILD_STALL_TIMEOUT_MS (default 5 min without progress short of the live position).
import 'reflect-metadata';
import { EVENT_TOPICS } from '@backbone/contracts';
import { createKafkaClient, kafkaSecurityFromSettings } from '@backbone/messaging';
import { createReportingDataSource } from '../database/data-source';
import { rebuildProjections } from './rebuild-projections';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!url || !brokers) throw new Error('DATABASE_URL and KAFKA_BROKERS must be set');
  const topics = process.env.REPORTING_TOPICS ? process.env.REPORTING_TOPICS.split(',') : [...EVENT_TOPICS];
  const dataSource = createReportingDataSource(url, 6);
  await dataSource.initialize();
  try {
    const result = await rebuildProjections({
      dataSource,
      client: createKafkaClient({
        brokers: brokers.split(','),
        clientId: 'reporting-rebuild',
        ...kafkaSecurityFromSettings(process.env),
      }),
      topics,
      liveGroupId: process.env.REPORTING_CONSUMER_GROUP ?? 'reporting',
      log: (line) => console.log(line),
      progressIntervalMs: optionalMs('REBUILD_PROGRESS_MS'),
      stallTimeoutMs: optionalMs('REBUILD_STALL_TIMEOUT_MS'),
    });
    console.log(JSON.stringify(result));
  } finally {
    await dataSource.destroy();
  }
}

function optionalMs(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (ms)`);
  return value;
}

main().catch((error: unknown) => {
  console.error(`rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
