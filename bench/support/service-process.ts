// A service as its own process for a benchmark: a fresh database, the run's own topics, a signing
// key whose public half the service trusts and a token of the role the bench calls with. One start-up
// for every service's bench (dossier-, hotline- and party-fee-service.ts say what differs).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServiceProcess } from '@backbone/testing';
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
  const dist = `services/${options.service}/dist/main.js`;
  // The built service is what runs in production; swc-node compiles on load and adds source-map work.
  const fromSource = options.fromSource ?? !existsSync(resolve(repoRoot, dist));
  const service = await startServiceProcess({
    name: options.service,
    entry: fromSource ? `services/${options.service}/src/main.ts` : dist,
    nodeArgs: options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(options.cpuProfileDir)}`] : [],
    env: {
      DATABASE_URL: databaseUrl(options.serverUrl, database),
      KAFKA_BROKERS: options.brokers,
      JWT_ISSUER: issuer,
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      // As in production: one JSON line per request (BENCH_LOG_LEVEL=warn for none).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // The bench is one client: lift the per-IP limit (1,000,000 per second).
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      ...options.runEnv(runId),
      ...options.env,
    },
    liveTimeoutMs: 120_000,
    outputLimit: 4_000,
    afterStop: () => admin(options.serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  });
  return {
    baseUrl: service.baseUrl,
    database,
    databaseUrl: databaseUrl(options.serverUrl, database),
    pid: service.child.pid!,
    token,
    logs: service.output,
    stop: service.stop,
  };
}
