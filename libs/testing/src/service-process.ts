import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { TEST_JWT_AUDIENCE, TEST_JWT_ISSUER } from './test-tokens';

const repoRoot = resolve(__dirname, '..', '..', '..');

/**
 * A service running as its own process, as in production: the tests, benchmarks, fuzzers and fault
 * runs that start one kill it, freeze it or read its output, and no project may import another
 * service's code.
 */
export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last `outputLimit` characters it printed (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit and runs `afterStop`; idempotent. */
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  /**
   * What to run, relative to the repository or absolute: a `.ts` entry runs under swc-node
   * (compiled on load), anything else (a built `dist/main.js`) as is.
   */
  entry: string;
  /** Added over this process's environment and {@link testServiceEnv}'s defaults. */
  env?: Record<string, string>;
  /** Node's own flags before the entry (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** A port of its own; default: a free one. */
  port?: number;
  /** Wait for `/health/live` (default); false: return once spawned (the caller waits for what it needs). */
  waitUntilLive?: boolean;
  /** Bound of that wait (default 90 s); a process that exits meanwhile fails at once. */
  liveTimeoutMs?: number;
  /** Characters of output kept (default 200,000). */
  outputLimit?: number;
  /** Run once the process has exited (drop its database). Also when it never came up. */
  afterStop?: () => Promise<void>;
  /** Named in errors. */
  name?: string;
}

/**
 * The variables every service needs under test, with fresh key material per process: test issuer and
 * audience (tokens from signTestToken), per-IP limit lifted, quiet logs, no Swagger UI.
 */
export function testServiceEnv(): Record<string, string> {
  return {
    SWC_NODE_PROJECT: 'tools/tsconfig.json',
    NODE_ENV: 'test',
    JWT_ISSUER: TEST_JWT_ISSUER,
    JWT_AUDIENCE: TEST_JWT_AUDIENCE,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PII_ACTIVE_KEY_ID: 'k1',
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    PSEUDONYM_KEY: randomBytes(32).toString('base64'),
    SWAGGER_ENABLED: 'false',
  };
}

/** A port nothing listens on now (another run may hold any fixed one). */
export function freePort(): Promise<number> {
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

/** node:http rather than fetch: an undici fetch to a port nobody listens on yet can stall. */
function answersLive(baseUrl: string): Promise<boolean> {
  return new Promise((resolveLive) => {
    const request = get(`${baseUrl}/health/live`, (response) => {
      response.resume();
      resolveLive(response.statusCode === 200);
    });
    request.on('error', () => resolveLive(false));
    request.setTimeout(2_000, () => request.destroy());
  });
}

/** Bounded wait for `/health/live`; a process that exits meanwhile fails at once, with its output. */
export async function waitUntilLive(
  service: Pick<ServiceProcess, 'child' | 'baseUrl' | 'output'>,
  timeoutMs = 90_000,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null)
      throw new Error(
        `exited (${service.child.exitCode ?? service.child.signalCode}) before /health/live answered:\n${service.output().slice(-3_000)}`,
      );
    if (await answersLive(service.baseUrl)) return;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `/health/live did not answer within ${timeoutMs / 1000} s:\n${service.output().slice(-3_000)}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts a service process and, unless told not to, resolves once `/health/live` answers. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const entry = isAbsolute(options.entry) ? options.entry : resolve(repoRoot, options.entry);
  const args = [
    ...(options.nodeArgs ?? []),
    ...(entry.endsWith('.ts') ? ['-r', '@swc-node/register'] : []),
    entry,
  ];
  const limit = options.outputLimit ?? 200_000;
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...testServiceEnv(), PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => (output = (output + String(chunk)).slice(-limit));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  // A spawn that fails (no such file) emits 'error' and no 'exit'.
  child.once('error', (error) => {
    output += `\n${String(error)}`;
  });
  let stopped: Promise<void> | undefined;
  const service: ServiceProcess = {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    exited,
    output: () => output,
    stop: () =>
      (stopped ??= (async () => {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
        await options.afterStop?.();
      })()),
  };
  if (options.waitUntilLive === false) return service;
  try {
    await waitUntilLive(service, options.liveTimeoutMs);
  } catch (error) {
    await service.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${options.name ?? options.entry}: ${reason}`);
  }
  return service;
}
