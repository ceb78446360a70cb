// The dossier service as its own process for a benchmark: a fresh database and topics, a signing
// key and an officer's token for every Hanoi unit; shared by bench/intake and bench/lifecycle.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { Client } from 'pg';
import hanoiUnits from '../../services/dossier/src/reference-data/hanoi-units-2025.json';

export const repoRoot = resolve(__dirname, '../..');
export const UNIT_CODES: string[] = hanoiUnits.units.map((unit) => unit.code);

/** Valid national IDs (Hà Nội registration code 001, born 1990s): only the tail varies. */
export const nationalId = (i: number): string => `0010990${String(i % 100_000).padStart(5, '0')}`;

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** node:http rather than fetch: an undici fetch to a port nobody listens on yet can stall here. */
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

export interface BenchServiceOptions {
  /** `bench_<label>_<run>`: the database, topics and consumer group of this run. */
  label: string;
  serverUrl: string;
  brokers: string;
  /** Run services/dossier/src under swc-node instead of the built dist. */
  fromSource?: boolean;
  /** The service writes a .cpuprofile there. */
  cpuProfileDir?: string;
  /** Extra environment for the service (e.g. DB_STATEMENT_COUNTING). */
  env?: Record<string, string>;
}

export interface BenchService {
  baseUrl: string;
  database: string;
  pid: number;
  /** An officer of every Hanoi unit (roles officer). */
  token: string;
  /** Last lines of the service's output. */
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the dossier service on a fresh database and waits until it is live. */
export async function startDossierService(options: BenchServiceOptions): Promise<BenchService> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = 'https://sso.bench/realms/hanoi';
  const signingKey = await importPKCS8(
    privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ES256',
  );
  const token = await new SignJWT({ roles: ['officer'], units: UNIT_CODES })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience('backbone')
    .setSubject('0198b000-0000-7000-8000-00000000bec1')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(signingKey);

  const database = `bench_${options.label}_${runId}`;
  await admin(options.serverUrl, `CREATE DATABASE "${database}"`);
  const port = 3900 + Math.floor(Math.random() * 90);
  const baseUrl = `http://127.0.0.1:${port}`;
  let logs = '';
  // The built service is what runs in production; swc-node compiles on load and adds source-map work.
  const serviceArgs = options.fromSource
    ? ['-r', '@swc-node/register', 'services/dossier/src/main.ts']
    : ['services/dossier/dist/main.js'];
  if (options.cpuProfileDir)
    serviceArgs.unshift('--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProfileDir)}`);
  const child = spawn(process.execPath, serviceArgs, {
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
      // As in production: one JSON line per request (BENCH_LOG_LEVEL=warn for none).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // The bench is one client: lift the per-IP limit (1,000,000 per second).
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      SWAGGER_ENABLED: 'false',
      DOSSIER_EVENTS_TOPIC: `bench_dossier_events_${runId}`,
      SIGNING_EVENTS_TOPIC: `bench_signing_events_${runId}`,
      DOSSIER_CONSUMER_GROUP: `bench_dossier_${runId}`,
      OVERDUE_SCAN_INTERVAL_MS: '0',
      ...options.env,
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
  return { baseUrl, database, pid: child.pid!, token, logs: () => logs, stop };
}
