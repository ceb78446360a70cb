// `node dist/migrate.js`: applies the platform, messaging and dossier migrations to DATABASE_URL
// and exits. Used by `npm start` before the service starts (the service also runs them at start-up).
import 'reflect-metadata';
import { PLATFORM_MIGRATIONS } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { DOSSIER_MIGRATIONS } from './database';

async function migrate(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [...PLATFORM_MIGRATIONS, ...DOSSIER_MIGRATIONS],
    extra: { max: 2 },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`dossier: ${applied.length} migration(s) applied\n`);
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  console.error(`dossier: migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
