import { DataSource } from 'typeorm';
import { serviceRoleGrants } from './service-role';

/**
 * Runs the migrations as the database's owner role and then gives the service's own role (the user
 * of `serviceUrl`) its row access, so that the service itself connects with a role that cannot run
 * DDL. Used at start-up when `DATABASE_MIGRATION_URL` is set (compose, deployments).
 */
export async function migrateAsOwner(
  migrationUrl: string,
  serviceUrl: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: Function[],
): Promise<number> {
  const owner = new DataSource({ type: 'postgres', url: migrationUrl, migrations, extra: { max: 1 } });
  await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    const appRole = decodeURIComponent(new URL(serviceUrl).username);
    const ownerRole = decodeURIComponent(new URL(migrationUrl).username);
    if (appRole && appRole !== ownerRole)
      for (const statement of serviceRoleGrants(appRole)) await owner.query(statement);
    return applied.length;
  } finally {
    await owner.destroy();
  }
}
