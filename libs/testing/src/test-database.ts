import { Client } from 'pg';
import { uniqueName } from './unique-name';

/** Test set-up must never touch a real service database: only names that say "test" pass. */
export function assertTestDatabaseName(databaseName: string): void {
  if (!/test/i.test(databaseName)) {
    throw new Error(
      `Refusing to use database "${databaseName}" in a test: its name does not mark it as a test database (it must contain "test").`,
    );
  }
}

/** The server URL the integration set-up provides (tools/jest/global-setup.ts). */
export function testServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run integration tests through `npm test` (its global set-up provides it).',
    );
  }
  return url;
}

export function databaseUrlFor(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database for one test file; `drop()` removes it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(`test_${prefix}`);
  assertTestDatabaseName(name);
  const serverUrl = testServerUrl();
  const admin = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrlFor(serverUrl, name),
    async drop() {
      const client = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
