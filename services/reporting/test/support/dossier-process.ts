import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { eventually } from '@backbone/testing';
import { AUDIENCE, freePort, ISSUER } from './reporting-process';

const repoRoot = resolve(__dirname, '../../../..');

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The dossier service as its own process, started by path from its sources (reporting must not
 * import another service's code: Nx module boundaries). Resolves once `/health/live` answers.
 */
export async function startDossierProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', resolve(repoRoot, 'services/dossier/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tools/tsconfig.json',
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
        OVERDUE_SCAN_INTERVAL_MS: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    child,
    baseUrl,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntilLive(service);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** Bounded wait for `/health/live`; a process that exits meanwhile fails at once with its output. */
export async function waitUntilLive(service: Pick<ServiceProcess, 'child' | 'baseUrl' | 'output'>) {
  await eventually(
    async () => {
      if (service.child.exitCode !== null)
        throw new Error(`exited with ${service.child.exitCode}: ${service.output()}`);
      const response = await fetch(`${service.baseUrl}/health/live`);
      if (!response.ok) throw new Error(`health ${response.status}`);
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of reporting's command-line tools from its sources and collects what it printed. */
export function runReportingCommand(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', resolve(repoRoot, 'services/reporting/src', script), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, SWC_NODE_PROJECT: 'services/reporting/tsconfig.node.json', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
