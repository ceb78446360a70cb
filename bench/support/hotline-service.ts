// The hotline service as its own process for a benchmark: a fresh database and topics, a signing
// key and the iHanoi gateway's token (a channel's service client).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { importPKCS8, SignJWT } from 'jose';
import { admin, databaseUrl, repoRoot } from './dossier-service';

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

export interface HotlineBenchService {
  baseUrl: string;
  database: string;
  /** The iHanoi gateway (role service): submits citizens' reports. */
  token: string;
  logs(): string;
  stop(): Promise<void>;
}

export async function startHotlineService(options: {
  serverUrl: string;
  brokers: string;
  fromSource?: boolean;
}): Promise<HotlineBenchService> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = 'https://sso.bench/realms/hanoi';
  const key = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'ES256');
  const token = await new SignJWT({ roles: ['service'], units: [] })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience('backbone')
    .setSubject('ihanoi-gateway')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(key);
  const database = `bench_hotline_${runId}`;
  await admin(options.serverUrl, `CREATE DATABASE "${database}"`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let logs = '';
  const args = options.fromSource
    ? ['-r', '@swc-node/register', 'services/hotline/src/main.ts']
    : ['services/hotline/dist/main.js'];
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
      HOTLINE_EVENTS_TOPIC: `bench_hotline_events_${runId}`,
      DOSSIER_EVENTS_TOPIC: `bench_hotline_dossier_events_${runId}`,
      HOTLINE_CONSUMER_GROUP: `bench_hotline_${runId}`,
      OVERDUE_SCAN_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));
  child.stderr!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await admin(options.serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  };
  const started = Date.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the hotline service exited: ${logs}`);
      if (await isLive(`${baseUrl}/health/live`)) break;
      if (Date.now() - started > 120_000)
        throw new Error(`the hotline service did not become healthy: ${logs}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, database, token, logs: () => logs, stop };
}
