import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type CloudEvent } from '@backbone/contracts';
import { createKafkaClient, toOutgoingMessage } from '@backbone/messaging';
import { testKafkaBrokers } from '@backbone/testing';

const repoRoot = resolve(__dirname, '../../../..');

/** A service running as its own process (see spawnServiceProcess). */
export interface ReportingProcess {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export async function freePort(): Promise<number> {
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

export const ISSUER = 'https://sso.test/realms/hanoi';
export const AUDIENCE = 'backbone';

export function testSigningKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** An ES256 JWT signed with node:crypto (jose is ESM-only, which jest here cannot load). */
export async function tokenFor(privatePem: string, roles: string[], units: string[]): Promise<string> {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = encode({ alg: 'ES256', typ: 'JWT' });
  const payload = encode({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: '01980bca-d920-725d-854d-beeeb30ce301',
    iat: now,
    exp: now + 600,
    roles,
    units,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: privatePem,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/**
 * A service started by path from its sources as its own process, as in production (the tests
 * kill it mid-batch, and reporting must not import another service's code). Fresh platform keys
 * per process; `env` adds or overrides variables.
 */
export async function spawnServiceProcess(
  entry: string,
  swcProject: string,
  env: Record<string, string>,
): Promise<ReportingProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', resolve(repoRoot, entry)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: swcProject,
      NODE_ENV: 'test',
      PORT: String(port),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000',
      PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PII_ACTIVE_KEY_ID: 'k1',
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      SWAGGER_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, baseUrl: `http://127.0.0.1:${port}`, exited, output: () => output };
}

export async function startReportingProcess(env: Record<string, string>): Promise<ReportingProcess> {
  // Reporting stores no personal data, but the platform requires its key material all the same.
  return spawnServiceProcess('services/reporting/src/main.ts', 'tools/tsconfig.json', {
    REPORTING_LAG_POLL_MS: '1000',
    ...env,
  });
}

/** Publishes events in order with the messaging lib's idempotent producer (key = subject). */
export async function publishEvents(
  topic: string,
  events: readonly CloudEvent[],
  chunk = 2_000,
): Promise<void> {
  const producer = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'reporting-test-producer',
  }).producer();
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += chunk) {
      await producer.send([{ topic, messages: events.slice(i, i + chunk).map(toOutgoingMessage) }]);
    }
  } finally {
    await producer.disconnect();
  }
}
