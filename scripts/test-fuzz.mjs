// `npm run test:fuzz`: the API fuzz suite (tools/fuzz) with a long run, 2,000 requests per service
// unless FUZZ_RUNS says otherwise; FUZZ_SEED repeats a run. CI runs the suite's small default.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './ensure-dependencies.mjs';

const result = spawnSync(
  process.execPath,
  [
    resolve(repoRoot, 'scripts', 'test.mjs'),
    '--int',
    'tools/fuzz/api-fuzz.int-spec.ts',
    ...process.argv.slice(2),
  ],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000' } },
);
process.exit(result.status ?? 1);
