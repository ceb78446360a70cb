import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { repoRoot } from '../infra/paths';
import { discoverServices } from '../stack/services';
import { ProxiedBroker } from './support/brokers';
import { PostgresInstance } from './support/postgres-instance';
import { FaultSuite } from './support/suite';

/**
 * `npm start` heals: a service process of a started stack killed with kill -9 is restarted by the
 * stack's supervisor, which says so on the console; Ctrl-C still stops everything. The stack runs
 * as `npm start` runs it (tools/stack/start.ts, --no-demo) on ports moved by STACK_PORT_OFFSET,
 * against this suite's own PostgreSQL and broker, so the fixed ports and shared servers stay free.
 */
const basePort = Number(process.env.FAULTS_STACK_BASE_PORT ?? 25_600);
const suite = new FaultSuite('stack-heals', basePort);
const only = process.env.FAULTS_ONLY?.split(',');
const selected = !only || only.includes('npm-start-heals');

describe('npm start restarts what crashes', () => {
  let stack: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!selected) return;
    suite.postgres = await PostgresInstance.start(
      basePort,
      resolve(tmpdir(), `backbone-faults-pg-${basePort}`),
    );
    const broker = new ProxiedBroker(basePort + 10, basePort + 12, resolve(suite.workRoot, 'kafka'));
    suite.broker = broker;
    await broker.start();
  }, 300_000);

  afterAll(async () => {
    if (stack && stack.exitCode === null && stack.signalCode === null) {
      stack.kill('SIGKILL');
    }
    await suite.stop();
  }, 120_000);

  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      if (stack?.exitCode !== null && stack?.exitCode !== undefined)
        throw new Error(`the stack exited (${stack.exitCode}) before ${pattern}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs / 1000} s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  (selected ? it : it.skip)(
    'kill -9 of a service: restarted with backoff and reported; Ctrl-C stops the rest',
    async () => {
      const started = Date.now();
      const offset = basePort + 100 - 3100;
      stack = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/stack/start.ts', '--no-demo'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: 'tools/tsconfig.json',
          DATABASE_URL: suite.postgres.url,
          KAFKA_BROKERS: suite.broker.brokers,
          KAFKA_AUTH: 'none',
          STACK_PORT_OFFSET: String(offset),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      stack.stdout?.on('data', (chunk) => (output += String(chunk)));
      stack.stderr?.on('data', (chunk) => (output += String(chunk)));

      await waitFor(/running; press Ctrl-C to stop everything/, 600_000);
      const victim = discoverServices().find((s) => s.name === 'dossier') ?? discoverServices()[0]!;
      const pid = Number(
        (await waitFor(new RegExp(`\\[stack\\] ${victim.name} started \\(pid (\\d+)`), 1_000))[1],
      );
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(new RegExp(`${victim.name} crashed \\(signal SIGKILL\\); restart 1 in`), 30_000);
      await waitFor(
        new RegExp(`${victim.name} is back: http://127.0.0.1:${victim.port + offset} answers`),
        180_000,
      );
      const backAfter = (Date.now() - killedAt) / 1000;
      const health = await fetch(`http://127.0.0.1:${victim.port + offset}/health/live`);
      expect(health.ok).toBe(true);

      stack.kill('SIGINT');
      const [code] = (await once(stack, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output).toMatch(/\[stack\] stopped\./);
      suite.record({
        fault: `npm start: kill -9 ${victim.name}; supervisor restarts it`,
        scenario: 'npm-start-heals',
        requestsAccepted: 0,
        events: 0,
        lost: 0,
        duplicated: 0,
        appliedTwice: 0,
        deadLettered: 0,
        timeToCatchUpSeconds: Math.round(backAfter * 10) / 10,
        reconcileDifferences: null,
        durationSeconds: Math.round((Date.now() - started) / 100) / 10,
        passed: true,
        problems: [],
        notes: [`back after ${backAfter.toFixed(1)} s (restart with backoff, then /health/live)`],
      });
    },
  );
});
