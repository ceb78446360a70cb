// A service as its own process for a benchmark: a fresh database, the run's own topics, a signing
// key whose public half the service trusts and a token of the role the bench calls with. One start-up
// for every service's bench (dossier-, hotline- and party-fee-service.ts say what differs).
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { Client } from 'pg';

export const repoRoot = resolve(__dirname, '../..');

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

/** A port nothing listens on now (another engineer's benchmark may hold any fixed one). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface BenchProcessOptions {
  /** The folder under services/: dossier, hotline, party-fee. */
  service: string;
  /** `bench_<label>_<run>`: the database of this run. */
  label: string;
  serverUrl: string;
  brokers: string;
  /** Who the bench calls as: the token's subject, roles and units. */
  caller: { subject: string; roles: string[]; units: string[] };
  /** The service's topic and consumer-group variables, given the run's id (own topics per run). */
  runEnv: (runId: string) => Record<string, string>;
  /** Its sources under swc-node instead of the built dist; unset: the dist when built, else the sources. */
  fromSource?: boolean;
  /** The service writes a .cpuprofile there. */
  cpuProfileDir?: string;
  /** Extra environment (e.g. DB_STATEMENT_COUNTING). */
  env?: Record<string, string>;
}

export interface BenchProcess {
  baseUrl: string;
  database: string;
  databaseUrl: string;
  pid: number;
  token: string;
  /** Last lines of the service's output. */
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the service on a fresh database and waits until it is live; `stop` ends it and drops the database. */
export async function startBenchProcess(options: BenchProcessOptions): Promise<BenchProcess> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = 'https://sso.bench/realms/hanoi';
  const signingKey = await importPKCS8(
    privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ES256',
  );
  const token = await new SignJWT({ roles: options.caller.roles, units: options.caller.units })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience('backbone')
    .setSubject(options.caller.subject)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(signingKey);

  const database = `bench_${options.label}_${runId}`;
  await admin(options.serverUrl, `CREATE DATABASE "${database}"`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dist = `services/${options.service}/dist/main.js`;
  // The built service is what runs in production; swc-node compiles on load and adds source-map work.
  const fromSource = options.fromSource ?? !existsSync(resolve(repoRoot, dist));
  const args = fromSource ? ['-r', '@swc-node/register', `services/${options.service}/src/main.ts`] : [dist];
  if (options.cpuProfileDir) args.unshift('--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProfileDir)}`);
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
      // As in production: one JSON line per request (BENCH_LOG_LEVEL=warn for none).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // The bench is one client: lift the per-IP limit (1,000,000 per second).
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      SWAGGER_ENABLED: 'false',
      ...options.runEnv(runId),
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
  return {
    baseUrl,
    database,
    databaseUrl: databaseUrl(options.serverUrl, database),
    pid: child.pid!,
    token,
    logs: () => logs,
    stop,
  };
}
