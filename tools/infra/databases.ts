import { Client } from 'pg';
import { serviceRoleGrants, serviceRoleNames } from '@backbone/platform';

/** One database per service; test runs use their own (see @backbone/testing createTestDatabase). */
export const serviceDatabases = ['dossier', 'signing', 'hotline', 'party_fee', 'reporting'] as const;

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates each missing database; existing ones are left untouched (safe to run on every start). */
export async function ensureDatabases(serverUrl: string, names: readonly string[]): Promise<string[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  const created: string[] = [];
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}"`);
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        try {
          await client.query(`CREATE DATABASE "${name}"`);
          created.push(name);
        } catch (error) {
          // Two starts racing: the other one created it first, which is what we wanted.
          if ((error as { code?: string }).code !== '42P04') throw error;
        }
      }
    }
  } finally {
    await client.end();
  }
  return created;
}

export interface ServiceRolePasswords {
  owner?: string;
  app?: string;
}

/** `serverUrl` with the database and the credentials of one of its roles. */
export function withRole(serverUrl: string, database: string, role: string, password?: string): string {
  const url = new URL(withDatabase(serverUrl, database));
  url.username = role;
  url.password = password ?? '';
  return url.toString();
}

/**
 * The two connection URLs of a service database: `migrate` (the owner, for migrations and
 * operator CLIs) and `service` (the least-privilege role the running service uses).
 */
export function serviceConnectionUrls(
  serverUrl: string,
  database: string,
  passwords: ServiceRolePasswords = {},
): { migrate: string; service: string } {
  const roles = serviceRoleNames(database);
  return {
    migrate: withRole(serverUrl, database, roles.owner, passwords.owner),
    service: withRole(serverUrl, database, roles.app, passwords.app),
  };
}

/**
 * As the server's superuser: creates (or updates the passwords of) `<database>_owner` and
 * `<database>_app`, makes the owner own the database, its schemas and every object in them (a
 * database created before these roles existed was owned by the superuser), and lets the app role
 * connect and nothing more; `grantServiceRole` gives it its row access after the migrations.
 */
export async function ensureServiceRoles(
  serverUrl: string,
  database: string,
  passwords: ServiceRolePasswords = {},
): Promise<void> {
  const roles = serviceRoleNames(database);
  const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    for (const [role, password] of [
      [roles.owner, passwords.owner],
      [roles.app, passwords.app],
    ] as const) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) {
        try {
          await admin.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS`);
        } catch (error) {
          if ((error as { code?: string }).code !== '42710') throw error; // created concurrently
        }
      }
      if (password) {
        const literal = (await admin.query('SELECT quote_literal($1) AS q', [password])).rows[0].q as string;
        await admin.query(`ALTER ROLE "${role}" PASSWORD ${literal}`);
      }
    }
    await admin.query(`ALTER DATABASE "${database}" OWNER TO "${roles.owner}"`);
    await admin.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${database}" TO "${roles.app}"`);
  } finally {
    await admin.end();
  }
  const inDatabase = new Client({ connectionString: withDatabase(serverUrl, database) });
  await inDatabase.connect();
  try {
    await inDatabase.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await inDatabase.query(`ALTER SCHEMA public OWNER TO "${roles.owner}"`);
    await inDatabase.query(
      `DO $own$ DECLARE r record; BEGIN
         FOR r IN SELECT n.nspname FROM pg_namespace n
                  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' LOOP
           EXECUTE format('ALTER SCHEMA %I OWNER TO %I', r.nspname, '${roles.owner}');
         END LOOP;
         FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                    AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                    AND pg_get_userbyid(c.relowner) <> '${roles.owner}'
                    -- a serial or identity sequence changes owner with its table
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                      AND d.deptype IN ('a', 'i')) LOOP
           EXECUTE format('ALTER %s %I.%I OWNER TO %I',
             CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                            WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
             r.nspname, r.relname, '${roles.owner}');
         END LOOP;
         FOR r IN SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                    AND pg_get_userbyid(p.proowner) <> '${roles.owner}' LOOP
           EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.signature, '${roles.owner}');
         END LOOP;
       END $own$`,
    );
  } finally {
    await inDatabase.end();
  }
}

/** As the owner, after the migrations: the app role's row access (see serviceRoleGrants). */
export async function grantServiceRole(ownerUrl: string, appRole: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (const statement of serviceRoleGrants(appRole)) await client.query(statement);
  } finally {
    await client.end();
  }
}
