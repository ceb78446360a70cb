// The party-fee service as its own process for bench:party-fee: a fresh database and topic, a
// city-admin token, and members seeded straight into its tables (registration is not what is measured).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { uuidv7 } from '@backbone/contracts';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { Client } from 'pg';
import { admin, databaseUrl, repoRoot, UNIT_CODES } from './dossier-service';

function isLive(url: string): Promise<boolean> {
  return new Promise((resolveLive) => {
    const request = get(url, (response) => {
      response.resume();
      resolveLive(response.statusCode === 200);
    });
    request.on('error', () => resolveLive(false));
    request.setTimeout(2_000, () => request.destroy());
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (child.exitCode !== null) throw new Error(`the service exited: ${output()}`);
    if (await isLive(`${baseUrl}/health/live`)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service did not become healthy: ${output()}`);
}

export interface PartyFeeBenchService {
  baseUrl: string;
  databaseUrl: string;
  pid: number;
  /** A city admin's token. */
  token: string;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the party-fee service (its dist when built, else its sources) on a fresh database. */
export async function startPartyFeeService(options: {
  serverUrl: string;
  brokers: string;
}): Promise<PartyFeeBenchService> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = 'https://sso.bench/realms/hanoi';
  const signingKey = await importPKCS8(
    privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ES256',
  );
  const token = await new SignJWT({ roles: ['city-admin'], units: [] })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience('backbone')
    .setSubject('bench-city-admin')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(signingKey);
  const database = `bench_party_fee_${runId}`;
  await admin(options.serverUrl, `CREATE DATABASE "${database}"`);
  const port = 3900 + Math.floor(Math.random() * 90);
  const baseUrl = `http://127.0.0.1:${port}`;
  const built = existsSync(resolve(repoRoot, 'services/party-fee/dist/main.js'));
  const args = built
    ? ['services/party-fee/dist/main.js']
    : ['-r', '@swc-node/register', 'services/party-fee/src/main.ts'];
  let logs = '';
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: 'tools/tsconfig.json',
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: databaseUrl(options.serverUrl, database),
      KAFKA_BROKERS: options.brokers,
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: 'backbone',
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      PII_ACTIVE_KEY_ID: 'bench',
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      SWAGGER_ENABLED: 'false',
      PARTY_FEE_EVENTS_TOPIC: `bench_party_fee_events_${runId}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));
  child.stderr!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await admin(options.serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
  try {
    await waitForHealth(baseUrl, child, () => logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    databaseUrl: databaseUrl(options.serverUrl, database),
    pid: child.pid!,
    token,
    logs: () => logs,
    stop,
  };
}

/** `count` officials with an 8,000,000 VND basis in cells of 50 over the Hanoi units; their ids. */
export async function seedMembers(url: string, count: number, fromPeriod: string): Promise<string[]> {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  try {
    const cellIds = Array.from({ length: Math.ceil(count / 50) }, () => uuidv7());
    await sql.query(
      `INSERT INTO party_cells (id, code, name, unit_code, bank_bin, bank_account, treasurer_subject, created_at)
       SELECT id, 'bench-cell-' || n, 'Bench cell ' || n, ($2::text[])[1 + (n - 1) % array_length($2::text[], 1)], '970436',
              lpad(n::text, 10, '0'), NULL, now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
      [cellIds, UNIT_CODES],
    );
    const ids = Array.from({ length: count }, () => uuidv7());
    for (let from = 0; from < ids.length; from += 5_000) {
      const chunk = ids.slice(from, from + 5_000);
      await sql.query(
        `INSERT INTO party_members (id, card_number_cipher, card_number_index, name_cipher, name_index, cell_id, category,
                                    past_working_age, voluntary_vnd, status, fees_from_period, payment_reference, credit_vnd,
                                    event_sequence, registered_at, registered_by)
         SELECT id, 'bench', md5(id::text), 'bench', md5('n' || id::text), ($2::uuid[])[1 + ($4 + n - 1) % array_length($2::uuid[], 1)],
                'official', false, NULL, 'active', $3, 'DP' || upper(substr(md5(id::text), 1, 16)), 0, 1, now(), 'bench'
           FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
        [chunk, cellIds, fromPeriod, from],
      );
      await sql.query(
        `INSERT INTO party_member_bases (id, member_id, from_period, kind, amount_vnd, leave, recorded_at, recorded_by)
         SELECT gen_random_uuid(), id, '2000-01', 'salary-and-allowances', 8000000, 'none', now(), 'bench' FROM unnest($1::uuid[]) AS x(id)`,
        [chunk],
      );
    }
    return ids;
  } finally {
    await sql.end();
  }
}
