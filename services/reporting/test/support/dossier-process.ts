import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from '@backbone/testing';
import { spawnServiceProcess } from './reporting-process';

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
  const started = await spawnServiceProcess('services/dossier/src/main.ts', 'tools/tsconfig.json', {
    OVERDUE_SCAN_INTERVAL_MS: '0',
    ...env,
  });
  const { child, exited } = started;
  const service: ServiceProcess = {
    ...started,
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
        env: { ...process.env, SWC_NODE_PROJECT: 'tools/tsconfig.json', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}
