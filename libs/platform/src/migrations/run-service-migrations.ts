import { DataSource, type MigrationInterface } from 'typeorm';
import { migrateAsOwner } from '../database/migrate-as-owner';
import { createPlatformLogger } from '../observability/logger';
import { PLATFORM_MIGRATIONS } from './platform-migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export type MigrationClass = Function;
export type MigrationClassList = readonly MigrationClass[];

export interface ServiceMigrationsOptions {
  /** The service's own database. */
  url: string;
  /**
   * What the service passes to PlatformModule.forRoot({ migrations }): the messaging tables
   * (`messagingMigrations`) and its own. The platform's are added here, as PlatformModule does.
   */
  migrations: MigrationClassList;
}

/**
 * Every migration a service's database needs, in the order the service itself runs them at
 * start-up: the platform's (audit log, idempotency keys) first, then the service's list. A class
 * listed twice runs once. TypeORM skips those already recorded in its `migrations` table, so
 * applying this list to an existing database re-runs nothing.
 */
export function serviceMigrations(migrations: MigrationClassList): MigrationClass[] {
  return [...new Set([...PLATFORM_MIGRATIONS, ...migrations])];
}

/** Applies serviceMigrations(...) to the database, each in its own transaction; the names applied. */
export async function runServiceMigrations(options: ServiceMigrationsOptions): Promise<string[]> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: serviceMigrations(options.migrations) as (new () => MigrationInterface)[],
    extra: { max: 2 },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The whole of a service's `src/migrate.ts` (`node dist/migrate.js`, run by `npm start`, the compose
 * file and the Kubernetes init container before the service starts): migrates DATABASE_URL, logs what
 * it applied, and sets a non-zero exit code on failure. With DATABASE_MIGRATION_URL (compose,
 * deployments) it migrates as that owner role and grants DATABASE_URL's role its row access, as the
 * service does at start-up: DATABASE_URL's role may not run DDL.
 */
export async function migrateServiceDatabase(
  serviceName: string,
  migrations: MigrationClassList,
): Promise<void> {
  const logger = createPlatformLogger({ service: serviceName, level: process.env.LOG_LEVEL ?? 'info' });
  try {
    const url = process.env.DATABASE_URL?.trim();
    if (!url) throw new Error('DATABASE_URL is not set');
    const ownerUrl = process.env.DATABASE_MIGRATION_URL?.trim();
    if (ownerUrl) {
      const count = await migrateAsOwner(ownerUrl, url, serviceMigrations(migrations));
      logger.info({ applied: count }, `${serviceName}: ${count} migration(s) applied as the owner role`);
      return;
    }
    const applied = await runServiceMigrations({ url, migrations });
    logger.info({ applied }, `${serviceName}: ${applied.length} migration(s) applied`);
  } catch (error: unknown) {
    logger.fatal({ err: error }, `${serviceName}: migrations failed`);
    process.exitCode = 1;
  }
}
