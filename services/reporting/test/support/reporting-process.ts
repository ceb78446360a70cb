import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type CloudEvent } from '@backbone/contracts';
import { createKafkaClient, toOutgoingMessage } from '@backbone/messaging';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER, testKafkaBrokers, uniqueName } from '@backbone/testing';

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
      JWT_ISSUER: TEST_JWT_ISSUER,
      JWT_AUDIENCE: TEST_JWT_AUDIENCE,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '100000',
      PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PII_ACTIVE_KEY_ID: 'k1',
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      SWAGGER_ENABLED: 'false',
      // Its audit checkpoints go to a topic of its own (created by the service), not the shared one.
      AUDIT_EVENTS_TOPIC: uniqueName('test_audit_events'),
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
