// `npm run test:faults`: the fault suite (tools/faults) — real service processes, their own
// PostgreSQL and brokers — after building what it runs (the services' and the load generator's
// dist, as `npm start` runs them). Prints the table of scenarios, writes it to
// bench/results/faults-latest.json, and ends with the plain line "N passed, N failed" (CI adds it
// to npm test's). FAULTS_PROFILE=ci|full (CI: ci), FAULTS_ONLY=<scenario,...>; see tools/faults/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDependencies, repoRoot } from './ensure-dependencies.mjs';

ensureDependencies();
const started = Date.now();
const cacheDir = resolve(repoRoot, '.cache');
mkdirSync(cacheDir, { recursive: true });
const resultsFile = resolve(cacheDir, 'jest-faults-results.json');
const rowsFile = resolve(cacheDir, 'faults-rows.jsonl');
rmSync(resultsFile, { force: true });
rmSync(rowsFile, { force: true });

if (process.env.FAULTS_SKIP_BUILD !== '1') {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const profile = process.env.FAULTS_PROFILE ?? (process.env.CI === 'true' ? 'ci' : 'full');
// One spec file at a time: each brings its own PostgreSQL and brokers, and the machine has two cores.
const result = spawnSync(
  process.execPath,
  [
    resolve(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--selectProjects',
    'faults',
    '--runInBand',
    // The scenarios run in this process: a handle a spec file forgot must not keep it alive after the
    // results are written (tools/jest/faults-timeout.ts names any such handle).
    '--forceExit',
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, FAULTS_PROFILE: profile, FAULTS_RESULTS_FILE: rowsFile },
  },
);

const rows = existsSync(rowsFile)
  ? readFileSync(rowsFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line))
  : [];
const durationSeconds = Math.round((Date.now() - started) / 1000);
if (rows.length > 0) {
  const out = resolve(repoRoot, 'bench', 'results', 'faults-latest.json');
  mkdirSync(resolve(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), profile, durationSeconds, scenarios: rows }, null, 2)}\n`,
  );
  const columns = [
    ['fault', (r) => r.fault],
    ['requests accepted', (r) => String(r.requestsAccepted)],
    ['events', (r) => String(r.events)],
    ['lost', (r) => String(r.lost)],
    ['duplicated', (r) => String(r.duplicated)],
    ['applied twice', (r) => String(r.appliedTwice)],
    ['dead-lettered', (r) => String(r.deadLettered)],
    [
      'time to catch up',
      (r) => (r.timeToCatchUpSeconds === null ? 'never' : `${r.timeToCatchUpSeconds.toFixed(1)} s`),
    ],
    ['result', (r) => (r.passed ? 'pass' : 'FAIL')],
  ];
  const cells = rows.map((r) => columns.map(([, value]) => value(r)));
  const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = (values) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\nFault suite (${profile}), ${durationSeconds} s:`);
  console.log(line(columns.map(([title]) => title)));
  console.log(`| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  for (const c of cells) console.log(line(c));
  console.log(`(written to ${out})`);
}

let passed = 0;
let failed = 0;
if (existsSync(resultsFile)) {
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
} else {
  failed = 1;
}
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(result.status ?? 1);
