// The demo workload and load generator (issue 6): files dossiers through the dossier service's HTTP
// API across Hanoi's 126 units with the city's mix, imports a backlog of the last 13 days from the
// dissolved district systems, moves every dossier through its lifecycle, prints what it did, then
// waits for the reporting service to consume it and prints the city summary.
//
//   npm run demo -- [--dossiers 300] [--history N] [--seed 42] [--concurrency 8]
//     [--rate R --duration S [--max-in-flight N] [--drain S]]          load-generator mode
//     [--dossier-url http://127.0.0.1:3101] [--reporting-url http://127.0.0.1:3105] [--no-report]
//     [--signed-results auto|skip|hold] [--signing-url URL] [--report-wait 120]
//     [--accepted-log FILE]   one JSON line per accepted (2xx) write, for the fault suite's oracle
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, assertLocalTarget, RequestStats } from './api-client';
import { fifteenDayPeriod, formatCitySummary, ReportingReader } from './city-summary';
import { runBusiestHourX10 } from './busiest-hour';
import { runCity15Days } from './city-15-days';
import { DemoSigning } from './demo-signing';
import { DemoTokens } from './dev-tokens';
import {
  type Context,
  fileLive,
  importHistorical,
  pool,
  printTally,
  type SignedMode,
  signedMode,
  Tally,
} from './dossier-workload';
import { SeededRandom } from './seeded-random';
import { type DemoProcedure, WorkloadMix } from './workload-mix';
import { communeLevelUnitCodes, type DossierUnit } from './units';
import { formatPartyFeeTally, runPartyFeeWorkload } from './party-fee-workload';
import { runHotlineDemo } from './hotline-workload';

const usage = `Usage: demo-workload [--dossiers N] [--history N] [--seed S] [--concurrency C]
                     [--rate R --duration S [--max-in-flight N] [--drain S]]
                     [--dossier-url URL] [--reporting-url URL] [--no-report] [--report-wait S]
                     [--signed-results auto|skip|hold] [--signing-url URL] [--accepted-log FILE]`;

const MAX_RATE = 1_000;
const MAX_DURATION_S = 3_600;
const MAX_DOSSIERS = 200_000;
/** History per live dossier by default: the 13 earlier days of a city that files ~5,000 a day. */
const DEFAULT_HISTORY_PER_DOSSIER = 3;

interface Options {
  dossiers: number;
  history: number;
  seed: number;
  concurrency: number;
  rate?: number;
  durationS?: number;
  maxInFlight: number;
  drainS: number;
  dossierUrl: string;
  reportingUrl: string;
  /** The hotline service (calls, reports, app accounts: hotline-workload.ts); undefined with --no-hotline. */
  hotlineUrl: string | undefined;
  report: boolean;
  reportWaitS: number;
  signed: 'auto' | SignedMode;
  signingUrl?: string;
  acceptedLog?: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      dossiers: { type: 'string' },
      history: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'max-in-flight': { type: 'string' },
      drain: { type: 'string', default: '120' },
      'dossier-url': { type: 'string', default: process.env.DOSSIER_URL ?? 'http://127.0.0.1:3101' },
      'reporting-url': { type: 'string', default: process.env.REPORTING_URL ?? 'http://127.0.0.1:3105' },
      'hotline-url': { type: 'string', default: process.env.HOTLINE_URL ?? 'http://127.0.0.1:3103' },
      'no-hotline': { type: 'boolean', default: false },
      'no-report': { type: 'boolean', default: false },
      report: { type: 'boolean', default: false },
      'report-wait': { type: 'string', default: '120' },
      'signed-results': { type: 'string', default: 'auto' },
      'signing-url': {
        type: 'string',
        ...(process.env.SIGNING_URL ? { default: process.env.SIGNING_URL } : {}),
      },
      'accepted-log': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const int = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
  const rate = int('rate', values.rate, 1, MAX_RATE);
  const durationS = int('duration', values.duration, 1, MAX_DURATION_S);
  if ((rate === undefined) !== (durationS === undefined))
    throw new Error('--rate and --duration go together');
  const loadMode = rate !== undefined;
  if (loadMode && values.dossiers !== undefined)
    throw new Error('--dossiers is for one-shot runs, not with --rate');
  if (loadMode && rate! * durationS! > MAX_DOSSIERS)
    throw new Error(`at most ${MAX_DOSSIERS} dossiers per run`);
  const dossiers = loadMode ? rate! * durationS! : (int('dossiers', values.dossiers, 0, MAX_DOSSIERS) ?? 100);
  const signed = values['signed-results'] as string;
  if (!['auto', 'skip', 'hold', 'wait'].includes(signed))
    throw new Error('--signed-results: auto, skip, hold or wait');
  return {
    dossiers,
    history:
      int('history', values.history, 0, MAX_DOSSIERS) ??
      (loadMode ? 0 : dossiers * DEFAULT_HISTORY_PER_DOSSIER),
    seed: int('seed', values.seed, 0, 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 31),
    concurrency: int('concurrency', values.concurrency, 1, 256)!,
    ...(loadMode ? { rate: rate!, durationS: durationS! } : {}),
    maxInFlight: int('max-in-flight', values['max-in-flight'], 1, 20_000) ?? Math.max(100, (rate ?? 0) * 10),
    drainS: int('drain', values.drain, 0, 3_600)!,
    dossierUrl: assertLocalTarget(values['dossier-url'] as string, '--dossier-url'),
    reportingUrl: assertLocalTarget(values['reporting-url'] as string, '--reporting-url'),
    hotlineUrl: values['no-hotline']
      ? undefined
      : assertLocalTarget(values['hotline-url'] as string, '--hotline-url'),
    // A load run measures the services; the report is asked for explicitly there.
    report: loadMode ? values.report === true : values['no-report'] !== true,
    reportWaitS: int('report-wait', values['report-wait'], 0, 3_600)!,
    signed: signed as Options['signed'],
    ...(values['signing-url']
      ? { signingUrl: assertLocalTarget(values['signing-url'], '--signing-url') }
      : {}),
    ...(values['accepted-log'] ? { acceptedLog: values['accepted-log'] } : {}),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const runId = randomUUID().slice(0, 8);
  const stats = new RequestStats();
  const abort = new AbortController();
  const tokens = new DemoTokens();
  const acceptedLog = options.acceptedLog
    ? createWriteStream(options.acceptedLog, { flags: 'a' })
    : undefined;
  const dossiers = new ApiClient(options.dossierUrl, stats, {
    signal: abort.signal,
    ...(acceptedLog ? { onAccepted: (accepted) => acceptedLog.write(`${JSON.stringify(accepted)}\n`) } : {}),
  });
  const tally = new Tally();
  const rng = new SeededRandom(options.seed);
  const now = new Date();

  // The units and the catalogue come from the dossier service, as any client of its API reads them.
  const cityAdminToken = await tokens.cityReader();
  const units = communeLevelUnitCodes(
    (await dossiers.request<DossierUnit[]>('GET', '/units', cityAdminToken)).body,
  );
  const catalogue = (await dossiers.request<DemoProcedure[]>('GET', '/procedures', cityAdminToken)).body;
  const signed = await signedMode(options.signed, options.signingUrl);
  const signedCodes = catalogue.filter((p) => p.requiresSignature).map((p) => p.code);
  const procedures = signed === 'skip' ? catalogue.filter((p) => !p.requiresSignature) : catalogue;
  const mode = options.rate ? `load: ${options.rate}/s for ${options.durationS} s` : 'one-shot';
  out(
    `Demo workload (${mode}), seed ${options.seed}, run ${runId}: ${options.history} historical + ${options.dossiers} live dossiers, ` +
      `${units.length} units, ${procedures.length} of ${catalogue.length} procedures, against ${options.dossierUrl}`,
  );
  if (signed === 'skip' && signedCodes.length > 0) {
    out(
      `  note: ${signedCodes.length} of ${catalogue.length} procedures need a signed result and no signing service answers` +
        `${options.signingUrl ? ` at ${options.signingUrl}` : ''}: they are skipped (--signed-results hold files them and leaves them resolved, awaiting a signature)`,
    );
  }

  const reporting = options.report ? new ReportingReader(options.reportingUrl, cityAdminToken) : undefined;
  const period = fifteenDayPeriod(now);
  const reportingUp = reporting ? await reporting.isUp() : false;
  const baseline = reportingUp ? (await reporting!.summary(period)).figures.dossiers : undefined;

  const mix = new WorkloadMix(rng, { units, procedures, now });
  const signing =
    signed === 'wait' && options.signingUrl
      ? new DemoSigning(options.signingUrl, dossiers, tokens, stats, abort.signal)
      : undefined;
  const ctx: Context = { runId, dossiers, tokens, tally, signed, abort, signal: abort.signal, signing };
  const started = performance.now();

  const history = Array.from({ length: options.history }, () => mix.historical());
  if (history.length > 0) {
    const t0 = performance.now();
    await pool(history, options.concurrency, (plan) => importHistorical(plan, ctx));
    out(
      `  history: ${tally.imported} of ${history.length} imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }

  // The hotline's calls, reports and accounts in the city's proportions to this run's dossiers.
  if (options.hotlineUrl && !options.rate)
    await runHotlineDemo(
      { ...options, hotlineUrl: options.hotlineUrl, dossiers: options.dossiers + options.history },
      { tokens, rng: new SeededRandom(options.seed ^ 0x1022), now, runId, stats, abort, out },
    );

  const t1 = performance.now();
  if (options.rate && options.durationS) {
    await loadGenerator(mix, ctx, options);
  } else {
    const live = Array.from({ length: options.dossiers }, () => mix.live());
    await pool(live, options.concurrency, (plan) => fileLive(plan, ctx));
  }
  const liveSeconds = (performance.now() - t1) / 1000;
  const finishedAt = new Date();

  out(printTally(tally, stats, liveSeconds, (performance.now() - started) / 1000));
  // Party fees (issue 15): members and payments in the city's proportions to the dossiers filed.
  if (!options.rate) {
    const partyFeeUrl = assertLocalTarget(
      process.env.PARTY_FEE_URL ?? 'http://127.0.0.1:3104',
      'PARTY_FEE_URL',
    );
    const dossiersFiled = options.history + options.dossiers;
    const partyFees = await runPartyFeeWorkload({
      url: partyFeeUrl,
      dossiers: dossiersFiled,
      units,
      runId,
      concurrency: options.concurrency,
      rng,
      tokens,
      stats,
    });
    out(formatPartyFeeTally(partyFees));
  }
  if (signing) out(`  signed by the demo signers: ${signing.completed}, not signed: ${signing.failed}`);

  if (options.report) {
    if (!reportingUp) {
      out(`Reporting service not reachable at ${options.reportingUrl}: no city summary.`);
    } else {
      out(
        `Waiting (at most ${options.reportWaitS} s) for the reporting service to consume the demo's events ...`,
      );
      const expected = {
        received: baseline!.received + tally.received,
        resolved: baseline!.resolved + tally.resolved,
        returned: baseline!.returned + tally.returned,
      };
      const waited = await reporting!.waitUntilConsumed(
        period,
        expected,
        finishedAt,
        options.reportWaitS * 1000,
      );
      out(
        waited.consumed
          ? `  consumed after ${(waited.waitedMs / 1000).toFixed(1)} s`
          : `  not all consumed after ${(waited.waitedMs / 1000).toFixed(1)} s (received ${waited.last.figures.dossiers.received} of ${expected.received} expected): the figures below are partial`,
      );
      const { report, freshness } = await reporting!.fifteenDay(period);
      out(formatCitySummary(period, report, waited.last.figures, freshness));
    }
  }
  if (acceptedLog) await new Promise((resolve) => acceptedLog.end(resolve));
  process.exitCode = tally.errors.size > 0 ? 1 : 0;
}

/**
 * Load-generator mode: starts `rate` new dossiers per second for `duration` seconds, each moved
 * through its lifecycle concurrently with the others. Bounded: at most `maxInFlight` lifecycles at
 * once (a start beyond that is shed and counted, so the offered rate stays honest), and after the
 * last start at most `drain` seconds for the rest before they are abandoned.
 */
async function loadGenerator(mix: WorkloadMix, ctx: Context, options: Options): Promise<void> {
  const rate = options.rate!;
  const total = rate * options.durationS!;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const plan = mix.live();
    if (inFlight.size >= options.maxInFlight) {
      ctx.tally.shed += 1;
      continue;
    }
    const run = fileLive(plan, ctx).finally(() => inFlight.delete(run));
    inFlight.add(run);
  }
  const drained = Promise.all(inFlight).then(() => true);
  const timedOut = new Promise<false>((resolve) =>
    setTimeout(() => resolve(false), options.drainS * 1000).unref(),
  );
  if (!(await Promise.race([drained, timedOut]))) {
    ctx.tally.unfinished = inFlight.size;
    ctx.abort.abort();
  }
}

// `--city-15-days` (npm run simulate): the city's first 15 days through every service (city-15-days.ts);
// `--busiest-hour-x10`: the freshness phase alone against a running stack (busiest-hour.ts).
const run = process.argv.includes('--city-15-days')
  ? runCity15Days(process.argv.slice(2)).then((code) => void (process.exitCode = code))
  : process.argv.includes('--busiest-hour-x10')
    ? runBusiestHourX10(process.argv.slice(2)).then((code) => void (process.exitCode = code))
    : main();
run.catch((error: unknown) => {
  console.error(`demo-workload: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
