import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { type ServiceProcess, waitUntilLive } from '@backbone/testing';
import { spawnServiceProcess } from './reporting-process';

const repoRoot = resolve(__dirname, '../../../..');

export { type ServiceProcess, waitUntilLive };

/**
 * Another service as its own process, started by path from its sources (reporting must not import
 * another service's code: Nx module boundaries). Resolves once `/health/live` answers.
 */
export function startSourceServiceProcess(
  service: 'dossier' | 'hotline' | 'party-fee',
  env: Record<string, string>,
): Promise<ServiceProcess> {
  return spawnServiceProcess(`services/${service}/src/main.ts`, env, true);
}

/** The dossier service (its overdue scan off: the tests drive time themselves). */
export function startDossierProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startSourceServiceProcess('dossier', { OVERDUE_SCAN_INTERVAL_MS: '0', ...env });
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
