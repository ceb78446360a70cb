/**
 * Least-privilege database access. Each service database has two roles:
 * - `<database>_owner` owns the schema and runs the migrations (DDL);
 * - `<database>_app` is what the running service connects as: it reads and writes rows, cannot
 *   create, alter or drop anything, and may only INSERT into (and read) the audit tables.
 * Creating the roles needs the server's superuser (tools/infra/databases.ts `ensureServiceRoles`);
 * the grants below run as the owner after every migration, so a table added later is covered.
 */

/** Tables the service may append to and read, never change or empty. */
export const APPEND_ONLY_TABLES = ['platform_audit_log', 'platform_audit_chain'] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function serviceRoleNames(database: string): { owner: string; app: string } {
  if (!ROLE_NAME.test(database) || database.length > 56)
    throw new Error(`Invalid database name "${database}"`);
  return { owner: `${database}_owner`, app: `${database}_app` };
}

/**
 * Statements, run as the owner in the service's database, that give `appRole` row access to every
 * table (present ones, and through default privileges the ones the owner creates later, such as
 * reporting's rebuilt generations) and take back UPDATE, DELETE and TRUNCATE on the audit tables.
 */
export function serviceRoleGrants(appRole: string): string[] {
  if (!ROLE_NAME.test(appRole)) throw new Error(`Invalid role name "${appRole}"`);
  const role = `"${appRole}"`;
  return [
    `DO $grants$ DECLARE s text; BEGIN
       FOR s IN SELECT nspname FROM pg_namespace
                WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
                  AND pg_get_userbyid(nspowner) = current_user OR nspname = 'public' LOOP
         EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, '${appRole}');
         EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, '${appRole}');
         EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', s, '${appRole}');
       END LOOP;
     END $grants$`,
    `ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO ${role}`,
    `ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    `ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`,
    `DO $audit$ DECLARE t text; BEGIN
       FOREACH t IN ARRAY ARRAY[${APPEND_ONLY_TABLES.map((table) => `'${table}'`).join(', ')}] LOOP
         IF to_regclass(t) IS NOT NULL THEN
           EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %I FROM %I', t, '${appRole}');
         END IF;
       END LOOP;
     END $audit$`,
  ];
}
