import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { postgresInfraDir } from './paths';

const run = promisify(execFile);

/** The machine's cluster: 127.0.0.1:5432, trust auth, user postgres. */
export const localPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts the machine's PostgreSQL cluster when it is not answering, then waits for it. */
export async function ensureLocalPostgres(url = localPostgresUrl): Promise<string> {
  if (await canConnect(url)) return url;
  await run('bash', [resolve(postgresInfraDir, 'ensure-running.sh')]);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await canConnect(url)) return url;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`PostgreSQL at ${url} did not answer within 60 s after infra/postgres/ensure-running.sh`);
}
