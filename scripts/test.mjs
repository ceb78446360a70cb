// `npm test`: every test — unit, integration, then the whole fault suite (single broker, three
// brokers, a stack that heals; `npm run test:faults`, its short profile unless FAULTS_PROFILE says
// otherwise; TEST_FAULTS=0 leaves it out). `--unit` / `--int` run one kind (no fault suite); other
// arguments go to jest. Ends with the plain line "N passed, N failed" that CI reads, over everything
// that ran.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDependencies, repoRoot } from './ensure-dependencies.mjs';

ensureDependencies();

const args = process.argv.slice(2);
const projects = [];
const passThrough = [];
for (const arg of args) {
  if (arg === '--unit') projects.push('unit');
  else if (arg === '--int') projects.push('int');
  else passThrough.push(arg);
}
const selected = projects.length > 0 ? projects : ['unit', 'int'];

mkdirSync(resolve(repoRoot, '.cache'), { recursive: true });
const resultsFile = resolve(repoRoot, '.cache', 'jest-results.json');
rmSync(resultsFile, { force: true });

// Two cores carry Kafka, PostgreSQL and the tests: at most two workers.
const jestArgs = [
  resolve(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
  '--selectProjects',
  ...selected,
  '--maxWorkers=2',
  // Results are written before exiting; a handle left open by a global setup must not hold the run.
  '--forceExit',
  '--json',
  `--outputFile=${resultsFile}`,
  ...passThrough,
];
// Each run is bounded, so that CI (90 minutes) always ends with its line: a run that hangs is stopped and
// counted as a failure, with the reason printed, instead of taking the whole budget without a verdict.
// Here: unit and integration ~15 minutes, the fault suite ~17; TEST_TIMEOUT_MINUTES / FAULTS_TIMEOUT_MINUTES.
// The run gets its own process group, and the whole group is killed: an orphaned jest would keep the
// pipe that CI reads open, and CI would wait for it all the same.
const minutes = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 60_000;
};
const bounded = (label, timeout, commandArgs, env = process.env) =>
  new Promise((resolveRun) => {
    const child = spawn(process.execPath, commandArgs, {
      cwd: repoRoot,
      stdio: 'inherit',
      env,
      detached: true,
    });
    const forward = (signal) => () => child.kill(signal);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer = setTimeout(() => {
      console.log(`${label} did not finish within ${timeout / 60_000} minutes: stopped, counted as failed`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeout);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolveRun({ status: code });
    });
  });
const result = await bounded('unit and integration tests', minutes('TEST_TIMEOUT_MINUTES', 40), jestArgs);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(resultsFile)) {
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = summary.numPassedTests;
  // A test file that fails to load runs none of its tests: count it as a failure, never as nothing.
  failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  skipped = summary.numPendingTests + summary.numTodoTests;
} else {
  failed = 1;
}
if (result.status !== 0 && failed === 0) failed = 1;
let status = result.status ?? 1;

// The whole run (no selection, no jest arguments) ends with the fault suite: real processes killed and
// frozen (tools/faults). It brings its own PostgreSQL and brokers, so it runs after jest has stopped its.
if (args.length === 0 && process.env.TEST_FAULTS !== '0') {
  console.log(`${passed} passed, ${failed} failed (unit and integration); now the fault suite`);
  const faultFiles = ['tools/faults/single-broker', 'tools/faults/three-brokers', 'tools/faults/stack-heals'];
  const faults = await bounded(
    'the fault suite',
    minutes('FAULTS_TIMEOUT_MINUTES', 35),
    [resolve(repoRoot, 'scripts', 'test-faults.mjs'), ...faultFiles],
    { ...process.env, FAULTS_PROFILE: process.env.FAULTS_PROFILE ?? 'ci' },
  );
  const faultsFile = resolve(repoRoot, '.cache', 'jest-faults-results.json');
  let faultsFailed = 0;
  if (existsSync(faultsFile)) {
    const summary = JSON.parse(readFileSync(faultsFile, 'utf8'));
    passed += summary.numPassedTests;
    faultsFailed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  } else {
    faultsFailed = 1;
  }
  if (faults.status !== 0 && faultsFailed === 0) faultsFailed = 1;
  failed += faultsFailed;
  if (status === 0 && faults.status !== 0) status = faults.status ?? 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
