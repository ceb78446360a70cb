// `node dist/rebuild/rebuild.cli.js` (or via @swc-node/register from src): rebuilds every
// projection from the beginning of the topics into a new generation and switches to it.
// Env: DATABASE_URL, KAFKA_BROKERS, REPORTING_TOPICS (default every *.events.v1),
// REPORTING_CONSUMER_GROUP (the live group, default reporting), REBUILD_PROGRESS_MS (default 10 s),
// REBUILD_STALL_TIMEOUT_MS (default 5 min without progress short of the live position).
import 'reflect-metadata';
import { rebuildFromEnvironment } from './rebuild-from-environment';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.KAFKA_BROKERS) throw new Error('DATABASE_URL and KAFKA_BROKERS must be set');
  const result = await rebuildFromEnvironment(url, 'reporting-rebuild', {
    log: (line) => console.log(line),
    progressIntervalMs: optionalMs('REBUILD_PROGRESS_MS'),
    stallTimeoutMs: optionalMs('REBUILD_STALL_TIMEOUT_MS'),
  });
  console.log(JSON.stringify(result));
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
