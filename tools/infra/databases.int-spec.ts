import { Client } from 'pg';
import { testServerUrl, uniqueName } from '@backbone/testing';
import { ensureDatabases, withDatabase } from './databases';

describe('ensureDatabases', () => {
  it('creates missing databases once and leaves existing ones alone', async () => {
    const names = [uniqueName('test_svc_a'), uniqueName('test_svc_b')];
    const server = testServerUrl();
    try {
      expect(await ensureDatabases(server, names)).toEqual(names);
      const client = new Client({ connectionString: withDatabase(server, names[0]) });
      await client.connect();
      await client.query('CREATE TABLE kept (id int)');
      await client.end();

      expect(await ensureDatabases(server, names)).toEqual([]);
      const again = new Client({ connectionString: withDatabase(server, names[0]) });
      await again.connect();
      const tables = await again.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'kept'");
      await again.end();
      expect(tables.rowCount).toBe(1);
    } finally {
      const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
      await admin.connect();
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    }
  });
});
