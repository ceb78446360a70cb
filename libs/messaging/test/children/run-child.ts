import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../../..');

/** Runs a TypeScript file of this folder in a child process the way scripts/start.mjs runs TypeScript. */
export function runChild(
  file: string,
  env: Record<string, string>,
  args: string[] = [],
): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
} {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', resolve(__dirname, file), ...args], {
    cwd: repoRoot,
    env: { ...process.env, SWC_NODE_PROJECT: 'tools/tsconfig.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, exited, output: () => output };
}
