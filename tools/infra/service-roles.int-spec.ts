import { Client } from 'pg';
import { migrateAsOwner, PLATFORM_MIGRATIONS, serviceRoleNames } from '@backbone/platform';
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
