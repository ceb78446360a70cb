// `npm start`: installs what is missing, then runs the whole stack (tools/stack/start.ts).
import { spawn } from 'node:child_process';
import { ensureDependencies, repoRoot } from './ensure-dependencies.mjs';

ensureDependencies();
const child = spawn(
  process.execPath,
  ['-r', '@swc-node/register', 'tools/stack/start.ts', ...process.argv.slice(2)],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, SWC_NODE_PROJECT: 'tools/tsconfig.json' } },
);
// Ctrl-C reaches the child through the terminal's process group; the child shuts the stack down.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
