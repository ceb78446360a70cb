import { Client } from 'pg';
import {
  migrateAsOwner,
  migrateServiceDatabase,
  PLATFORM_MIGRATIONS,
  serviceRoleNames,
} from '@backbone/platform';
import { testServerUrl, uniqueName } from '@backbone/testing';
import { ensureDatabases, ensureServiceRoles, serviceConnectionUrls, withDatabase } from './databases';

/** Issue 11, finding 2, as the attacker holding the service's database credentials would act (SQL). */
describe('service database roles', () => {
  const server = testServerUrl();
  const database = uniqueName('test_roles');
  const roles = serviceRoleNames(database);
  const urls = serviceConnectionUrls(server, database, { owner: 'owner-pw', app: 'app-pw' });

  beforeAll(async () => {
    await ensureDatabases(server, [database]);
    // A table the superuser created before the roles existed (an older development database).
    const legacy = new Client({ connectionString: withDatabase(server, database) });
    await legacy.connect();
    await legacy.query(
      'CREATE TABLE legacy_notes (id serial PRIMARY KEY, n int GENERATED ALWAYS AS IDENTITY)',
    );
    await legacy.end();
    await ensureServiceRoles(server, database, { owner: 'owner-pw', app: 'app-pw' });
    await migrateAsOwner(urls.migrate, urls.service, PLATFORM_MIGRATIONS);
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${roles.app}"`);
    await admin.query(`DROP ROLE IF EXISTS "${roles.owner}"`);
    await admin.end();
  });

  async function asApp<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: urls.service });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const sqlState = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { code?: string }) => error.code,
    );

  it('lets the service role read and write rows, and append audit records', async () => {
    await asApp(async (client) => {
      expect(await sqlState(client.query('INSERT INTO legacy_notes DEFAULT VALUES'))).toBe('ok');
      expect(await sqlState(client.query('UPDATE legacy_notes SET id = id + 100'))).toBe('ok');
      expect(
        await sqlState(
          client.query(
            `INSERT INTO platform_audit_log (id, occurred_at, actor_subject, actor_roles, actor_units, action, outcome)
             VALUES ('0198a000-0000-7000-8000-000000000001', now(), 's', 'officer', '00070', 'note.create', 'success')`,
          ),
        ),
      ).toBe('ok');
      expect((await client.query('SELECT count(*)::int AS n FROM platform_audit_log')).rows[0].n).toBe(1);
    });
  });

  it('refuses DDL and any change to the audit tables to the service role (42501)', async () => {
    await asApp(async (client) => {
      expect(await sqlState(client.query('CREATE TABLE evil (id int)'))).toBe('42501');
      expect(await sqlState(client.query('CREATE SCHEMA evil'))).toBe('42501');
      expect(await sqlState(client.query('DROP TABLE legacy_notes'))).toBe('42501');
      expect(await sqlState(client.query('ALTER TABLE platform_audit_log DISABLE TRIGGER ALL'))).toBe(
        '42501',
      );
      expect(await sqlState(client.query("UPDATE platform_audit_log SET action = 'x'"))).toBe('42501');
      expect(await sqlState(client.query('DELETE FROM platform_audit_log'))).toBe('42501');
      expect(await sqlState(client.query('TRUNCATE platform_audit_log'))).toBe('42501');
      expect(await sqlState(client.query('DELETE FROM platform_audit_chain'))).toBe('42501');
      expect(await sqlState(client.query('TRUNCATE platform_audit_chain'))).toBe('42501');
      expect(
        (
          await client.query(
            'SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user',
          )
        ).rows[0],
      ).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    });
  });

  it('gives npm start and compose distinct owner and service URLs', () => {
    const local = serviceConnectionUrls('postgres://postgres@127.0.0.1:5432/postgres', 'dossier');
    expect(new URL(local.service).username).toBe('dossier_app');
    expect(new URL(local.service).pathname).toBe('/dossier');
    expect(new URL(local.migrate).username).toBe('dossier_owner');
  });
});

/**
 * `node dist/migrate.js` as docker compose (before the service) and the Deployments' init container run
 * it: DATABASE_URL is the service's own role, which may not run DDL, and DATABASE_MIGRATION_URL the
 * owner's. It used to migrate DATABASE_URL, and so failed on a fresh database.
 */
describe('migrate.js with the service role and the owner role (compose, Kubernetes)', () => {
  const server = testServerUrl();
  const database = uniqueName('test_deploy_migrate');
  const roles = serviceRoleNames(database);
  const urls = serviceConnectionUrls(server, database, { owner: 'owner-pw', app: 'app-pw' });
  const saved = { ...process.env };

  beforeAll(async () => {
    await ensureDatabases(server, [database]);
    await ensureServiceRoles(server, database, { owner: 'owner-pw', app: 'app-pw' });
  });

  afterAll(async () => {
    process.env = saved;
    process.exitCode = undefined;
    const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${roles.app}"`);
    await admin.query(`DROP ROLE IF EXISTS "${roles.owner}"`);
    await admin.end();
  });

  it('migrates a fresh database as the owner, then the service role reads and writes its rows', async () => {
    process.env.DATABASE_URL = urls.service;
    process.env.DATABASE_MIGRATION_URL = urls.migrate;
    process.env.LOG_LEVEL = 'silent';
    process.exitCode = undefined;
    await migrateServiceDatabase('deploy-test', []);
    expect(process.exitCode).toBeUndefined();
    const client = new Client({ connectionString: urls.service });
    await client.connect();
    try {
      const owner = await client.query(
        `SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'platform_audit_log'`,
      );
      expect(owner.rows).toEqual([{ tableowner: roles.owner }]);
      expect((await client.query('SELECT count(*)::int AS n FROM platform_audit_log')).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    // A second run (the next pod's init container) applies nothing and still succeeds.
    await migrateServiceDatabase('deploy-test', []);
    expect(process.exitCode).toBeUndefined();
  });
});
