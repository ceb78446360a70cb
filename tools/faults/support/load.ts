import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../infra/paths';
import type { FaultStack } from './fault-stack';
import { FAULTS_JWT_AUDIENCE, FAULTS_JWT_ISSUER } from './tokens';

export interface LoadOptions {
  /** Dossiers started per second. */
  rate: number;
  durationS: number;
  seed: number;
  /** One JSON line per accepted (2xx) write. */
  acceptedLog: string;
  /** How long the generator waits for the lifecycles still running after the last start. */
  drainS?: number;
}

export interface LoadRun {
  /** Resolves when the generator exits, with its exit code and output. */
  done: Promise<{ code: number | null; output: string }>;
  /** Accepted writes so far (lines in the accepted log). */
  acceptedSoFar(): number;
  /** Ends the generator early (a scenario that failed half-way). */
  stop(): void;
}

/**
 * The demo load generator (tools/simulator, built as `npm start` runs it), through the public
 * APIs of the scenario's stack: `--rate R --duration S`, each dossier moved through its lifecycle,
 * every accepted write written to the accepted log. Results that must be signed are filed and held
 * (`--signed-results hold`), so the run does not depend on a signing saga finishing in time.
 */
export function startLoad(stack: FaultStack, options: LoadOptions): LoadRun {
  const cli = resolve(repoRoot, 'tools', 'simulator', 'dist', 'demo-workload.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx nx run-many -t build)`);
  const reporting = stack.has('reporting') ? stack.service('reporting').baseUrl : 'http://127.0.0.1:9';
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      cli,
      '--rate',
      String(options.rate),
      '--duration',
      String(options.durationS),
      '--seed',
      String(options.seed),
      '--drain',
      String(options.drainS ?? 180),
      '--dossier-url',
      stack.service('dossier').baseUrl,
      '--reporting-url',
      reporting,
      '--signed-results',
      'hold',
      '--accepted-log',
      options.acceptedLog,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        JWT_ISSUER: FAULTS_JWT_ISSUER,
        JWT_AUDIENCE: FAULTS_JWT_AUDIENCE,
        JWT_PRIVATE_KEY: stack.options.keys.privatePem,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const done = new Promise<{ code: number | null; output: string }>((resolveDone) =>
    child.on('close', (code) => resolveDone({ code, output })),
  );
  return {
    done,
    acceptedSoFar: () => countLines(options.acceptedLog),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

export function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  return text.length === 0 ? 0 : text.split('\n').filter((line) => line.trim() !== '').length;
}
