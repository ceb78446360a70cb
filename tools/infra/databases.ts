import { Client } from 'pg';

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
