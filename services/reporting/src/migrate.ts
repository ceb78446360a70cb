// `node dist/migrate.js`: applies the platform and reporting migrations (audit and idempotency
// tables, messaging inbox/outbox, projection generations) to DATABASE_URL, as the database's owner.
// Used by `npm start` before the service starts: the service itself connects as a role that
// cannot run DDL, so nothing may be left for it to migrate.
import 'reflect-metadata';
import { PLATFORM_MIGRATIONS } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { reportingDataSourceOptions, reportingMigrations } from './database/data-source';

async function migrate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = new DataSource({
    ...reportingDataSourceOptions(url, 2),
    migrations: [...PLATFORM_MIGRATIONS, ...reportingMigrations],
  });
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
