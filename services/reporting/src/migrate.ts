// `node dist/migrate.js`: applies the reporting migrations (messaging inbox/outbox, projection
// generations) to DATABASE_URL. Used by `npm start` before the service starts.
import 'reflect-metadata';
import { createReportingDataSource } from './database/data-source';

async function migrate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = createReportingDataSource(url, 2);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`reporting: ${applied.length} migration(s) applied\n`);
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  console.error(`reporting: migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
