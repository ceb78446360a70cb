// `npm run simulate -- --city-15-days [--scale 0.1]` (issue 17): Hanoi's first 15 days of the
// two-tier model, through the public APIs of every service: the plan (city-15-days-plan.ts) dealt
// over the days, units and channels; dossiers of the earlier days imported with their times
// (POST /dossiers/imports), today's filed and moved through their lifecycles (signed results when a
// signing service answers); the hotline's calls, app reports and accounts dated by their gateways;
// party members imported with their registration times (POST /members/imports) and fees paid at
// theirs. Then the city's 15-day report from the reporting API beside the article's figures (each
// within ±1 % of the target at --scale), the reconciliation of every service (`npm run reconcile`),
// both printed and written to bench/results/city-15-days-latest.json with the run's wall time.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, assertLocalTarget, RequestStats } from './api-client';
import {
  ARTICLE_FIGURES,
  type CityPlan,
  countBy,
  instantOn,
  PERIOD_DAYS,
  planCity15Days,
  type Slot,
} from './city-15-days-plan';
import { type CityFigures, type FifteenDayReport, type Freshness, ReportingReader } from './city-summary';
import { DemoSigning } from './demo-signing';
import { DemoTokens } from './dev-tokens';
import {
  type Context,
  fileLive,
  importHistorical,
  importHistoricalBatch,
  pool,
  printTally,
  signedMode,
  Tally,
} from './dossier-workload';
import { type FreshnessSection, parseMinutes, PHASE_DEFAULTS, runBusiestHourPhase } from './busiest-hour';
import { formatHotlineTally, type HotlineUnit, runHotlineWorkload } from './hotline-workload';
import { formatPartyFeeTally, runPartyFeeWorkload } from './party-fee-workload';
import { SeededRandom } from './seeded-random';
import { communeLevelUnitCodes, type DossierUnit } from './units';
import {
  type DemoProcedure,
  type HistoricalPlan,
  type LivePlan,
  ONLINE_REFUSAL_RATE,
  WorkloadMix,
} from './workload-mix';

/** tools/simulator/{src,dist}/ → the repository root, whatever the working directory. */
const REPO_ROOT = resolve(__dirname, '../../..');
const RESULT_FILE = resolve(REPO_ROOT, 'bench', 'results', 'city-15-days-latest.json');
/**
 * Signers per unit for today's signed results. One code confirms up to 50 of a signer's sessions
 * (ADR 0015), so the unit head alone keeps up with a unit's day; each more signer is one more
 * enrolment, and enrolling is throttled per client.
 */
const SIGNERS_PER_UNIT = 1;
/** Each figure within ±1 % of the article's, scaled. */
export const TOLERANCE = 0.01;

const usage = `Usage: simulate --city-15-days [--scale 0.1] [--seed S] [--concurrency C] [--import-batch B] [--import-concurrency I] [--live-concurrency L] [--report-wait S]
                [--dossier-url URL] [--signing-url URL] [--hotline-url URL] [--party-fee-url URL]
                [--reporting-url URL] [--reporting-database-url URL] [--signed-results auto|hold] [--signers-own-addresses] [--serial]
                [--freshness-minutes M (10× the busiest hour, busiest-hour.ts; 0 skips it)]`;

interface CityOptions {
  scale: number;
  seed: number;
  concurrency: number;
  /** Historical dossiers per import request (POST /dossiers/imports/batches, at most 500). */
  importBatch: number;
  /** Import requests at once. */
  importConcurrency: number;
  /** Today's dossiers mostly wait (for signers, for the next step): more of them at once. */
  liveConcurrency: number;
  reportWaitS: number;
  dossierUrl: string;
  signingUrl: string;
  hotlineUrl: string;
  partyFeeUrl: string;
  reportingUrl: string;
  /** Reporting's database, for the reconciliation CLI (it reads reporting's own tables). */
  reportingDatabaseUrl: string;
  signed: 'auto' | 'hold';
  /** The freshness phase after the 15 days (busiest-hour.ts); 0 skips it. */
  freshnessMinutes: number;
  /** Each demo signer calls from its own loopback address (per-client limits per signer). */
  signersOwnAddresses: boolean;
  /**
   * The services one after another (dossiers, hotline, party fees) instead of side by side. The city's
   * four services take their loads at once in real life; serial is for measuring one phase alone.
   */
  serial: boolean;
}

function parseCityOptions(argv: string[]): CityOptions {
  const env = process.env;
  const { values } = parseArgs({
    args: argv,
    options: {
      'city-15-days': { type: 'boolean' },
      scale: { type: 'string', default: '0.1' },
      seed: { type: 'string', default: '2025' },
      concurrency: { type: 'string', default: '16' },
      'import-batch': { type: 'string', default: '200' },
      'import-concurrency': { type: 'string', default: '3' },
      'live-concurrency': { type: 'string' },
      'report-wait': { type: 'string', default: '600' },
      'dossier-url': { type: 'string', default: env.DOSSIER_URL ?? 'http://127.0.0.1:3101' },
      'signing-url': { type: 'string', default: env.SIGNING_URL ?? 'http://127.0.0.1:3102' },
      'hotline-url': { type: 'string', default: env.HOTLINE_URL ?? 'http://127.0.0.1:3103' },
      'party-fee-url': { type: 'string', default: env.PARTY_FEE_URL ?? 'http://127.0.0.1:3104' },
      'reporting-url': { type: 'string', default: env.REPORTING_URL ?? 'http://127.0.0.1:3105' },
      'reporting-database-url': {
        type: 'string',
        default: env.REPORTING_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/reporting',
      },
      'signed-results': { type: 'string', default: 'auto' },
      'freshness-minutes': { type: 'string', default: '2' },
      'signers-own-addresses': { type: 'boolean', default: false },
      serial: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]');
  const int = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
  if (!['auto', 'hold'].includes(values['signed-results']))
    throw new Error('--signed-results: auto (sign when a signing service answers) or hold');
  return {
    scale,
    seed: int('seed', values.seed, 0, 2 ** 32 - 1),
    concurrency: int('concurrency', values.concurrency, 1, 256),
    importBatch: int('import-batch', values['import-batch'], 1, 500),
    importConcurrency: int('import-concurrency', values['import-concurrency'], 1, 32),
    liveConcurrency: int(
      'live-concurrency',
      values['live-concurrency'] ?? String(Math.min(256, 4 * Number(values.concurrency))),
      1,
      256,
    ),
    reportWaitS: int('report-wait', values['report-wait'], 0, 7_200),
    dossierUrl: assertLocalTarget(values['dossier-url'], '--dossier-url'),
    signingUrl: assertLocalTarget(values['signing-url'], '--signing-url'),
    hotlineUrl: assertLocalTarget(values['hotline-url'], '--hotline-url'),
    partyFeeUrl: assertLocalTarget(values['party-fee-url'], '--party-fee-url'),
    reportingUrl: assertLocalTarget(values['reporting-url'], '--reporting-url'),
    reportingDatabaseUrl: values['reporting-database-url'],
    signed: values['signed-results'] as 'auto' | 'hold',
    freshnessMinutes: parseMinutes(values['freshness-minutes'], '--freshness-minutes'),
    signersOwnAddresses: values['signers-own-addresses'] === true,
    serial: values.serial === true,
  };
}

/** A progress bar on a terminal; elsewhere (logs, npm start) a line at every tenth. */
class Progress {
  /** Lanes running side by side would overwrite each other's bar: lines at every tenth then. */
  static lines = false;
  private done = 0;
  private lastTenth = -1;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: (line: string) => void,
  ) {
    this.draw();
  }

  tick = (): void => {
    this.done += 1;
    this.draw();
  };

  private draw(): void {
    const share = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const text = `${this.label.padEnd(24)} ${String(this.done).padStart(7)}/${this.total} ${seconds} s`;
    if (process.stdout.isTTY && !Progress.lines) {
      const width = 30;
      const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '·');
      process.stdout.write(`\r  ${bar} ${text}${this.done >= this.total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.out(`  [${String(tenth * 10).padStart(3)} %] ${text}`);
    }
  }
}

async function isUp(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/live`)).ok;
  } catch {
    return false;
  }
}

/** One of the report's figures beside the article's. */
export interface FigureCheck {
  figure: string;
  article: number;
  /** The article's figure at the run's scale (a share stays a share). */
  target: number;
  /** What the reporting API says this run added. */
  value: number | null;
  deviation: number | null;
  withinTolerance: boolean;
}

/** The run's figures (the report now minus the report before) beside the article's at `scale`. */
export function checkFigures(
  before: FifteenDayReport,
  after: FifteenDayReport,
  scale: number,
): FigureCheck[] {
  const count = (figure: keyof FifteenDayReport & keyof typeof ARTICLE_FIGURES_BY_REPORT) => {
    const article = ARTICLE_FIGURES_BY_REPORT[figure];
    const target = article * scale;
    const value = (after[figure] as number) - (before[figure] as number);
    return check(figure, article, target, value);
  };
  const online = (r: FifteenDayReport) => (r.shareOnline ?? 0) * r.dossiersReceived;
  const received = after.dossiersReceived - before.dossiersReceived;
  const share = received > 0 ? (online(after) - online(before)) / received : null;
  return [
    count('dossiersReceived'),
    check('shareOnline', ARTICLE_FIGURES.shareOnline, ARTICLE_FIGURES.shareOnline, share),
    count('hotlineCalls'),
    count('appReports'),
    count('newAppAccounts'),
    count('partyMembersRegistered'),
    count('partyFeeTransactions'),
  ];
}

const ARTICLE_FIGURES_BY_REPORT = {
  dossiersReceived: ARTICLE_FIGURES.dossiersReceived,
  hotlineCalls: ARTICLE_FIGURES.hotlineCalls,
  appReports: ARTICLE_FIGURES.appReports,
  newAppAccounts: ARTICLE_FIGURES.newAppAccounts,
  partyMembersRegistered: ARTICLE_FIGURES.partyMembersRegistered,
  partyFeeTransactions: ARTICLE_FIGURES.partyFeeTransactions,
} as const;

function check(figure: string, article: number, target: number, value: number | null): FigureCheck {
  const deviation = value === null ? null : (value - target) / target;
  return {
    figure,
    article,
    target,
    value,
    deviation,
    withinTolerance: deviation !== null && Math.abs(deviation) <= TOLERANCE + 1e-9,
  };
}

export interface Reconciliation {
  exitCode: number | null;
  differences: number | null;
  byService: Record<string, number>;
  output: string[];
}

/** Runs the reconciliation CLI (npm run reconcile) over the period and reads its verdict. */
async function reconcile(
  options: CityOptions,
  period: CityPlan['period'],
  token: string,
  withSigning: boolean,
) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      resolve(REPO_ROOT, 'services/reporting/src/reconcile/reconcile.cli.ts'),
      '--from',
      period.from,
      '--to',
      period.to,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tools/tsconfig.json',
        DATABASE_URL: options.reportingDatabaseUrl,
        RECONCILE_TOKEN: token,
        DOSSIER_API_URL: options.dossierUrl,
        HOTLINE_API_URL: options.hotlineUrl,
        PARTY_FEE_API_URL: options.partyFeeUrl,
        ...(withSigning ? { SIGNING_API_URL: options.signingUrl } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
  const exitCode = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  const output = text.split('\n').filter((line) => line.trim() !== '');
  const byService: Record<string, number> = {};
  for (const line of output) {
    const match = /^\S+ \S+: (\S+) service /.exec(line);
    if (match) byService[match[1]!] = (byService[match[1]!] ?? 0) + 1;
  }
  const total = output.map((line) => /^(\d+) difference\(s\) for .* \((.*)\)$/.exec(line)).find(Boolean);
  for (const service of total?.[2]?.split(', ') ?? []) byService[service] ??= 0;
  return {
    exitCode,
    differences: total ? Number(total[1]) : null,
    byService,
    output,
  } satisfies Reconciliation;
}

/** Polls the 15-day report until this run's records are all in it and the lag is 0 (bounded). */
async function waitForReport(
  reporting: ReportingReader,
  plan: CityPlan,
  before: FifteenDayReport,
  expected: Partial<Record<keyof typeof ARTICLE_FIGURES_BY_REPORT, number>>,
  timeoutMs: number,
  out: (line: string) => void,
): Promise<{ consumed: boolean; waitedMs: number; report: FifteenDayReport; freshness: Freshness }> {
  const started = Date.now();
  let lastLine = '';
  for (;;) {
    const { report, freshness } = await reporting.fifteenDay(plan.period);
    const missing = Object.entries(expected).filter(
      ([figure, n]) =>
        (report[figure as keyof FifteenDayReport] as number) -
          (before[figure as keyof FifteenDayReport] as number) <
        n!,
    );
    const consumed = missing.length === 0 && freshness.consumerLag.messages === 0;
    const waitedMs = Date.now() - started;
    if (consumed || waitedMs >= timeoutMs) return { consumed, waitedMs, report, freshness };
    const line = `  waiting for reporting: ${missing.map(([f]) => f).join(', ') || 'lag'} (lag ${freshness.consumerLag.messages ?? '?'})`;
    if (line !== lastLine || waitedMs % 30_000 < 2_000) out(line);
    lastLine = line;
    await new Promise((done) => setTimeout(done, 2_000));
  }
}

const plural = (n: number) => n.toLocaleString('en-US');

export async function runCity15Days(argv: string[]): Promise<number> {
  const options = parseCityOptions(argv);
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const wallStart = performance.now();
  const runId = randomUUID().slice(0, 8);
  const stats = new RequestStats();
  const abort = new AbortController();
  // Every request in flight (hundreds, over three lanes) listens to it: no leak, the run's width.
  setMaxListeners(0, abort.signal);
  const tokens = new DemoTokens();
  const now = new Date();
  const dossierApi = new ApiClient(options.dossierUrl, stats, { signal: abort.signal });
  const cityAdmin = await tokens.cityReader();

  const up = {
    dossier: await isUp(options.dossierUrl),
    signing: await isUp(options.signingUrl),
    hotline: await isUp(options.hotlineUrl),
    partyFee: await isUp(options.partyFeeUrl),
    reporting: await isUp(options.reportingUrl),
  };
  const down = Object.entries(up)
    .filter(([name, ok]) => !ok && name !== 'signing')
    .map(([name]) => name);
  if (down.length > 0)
    throw new Error(`not answering /health/live: ${down.join(', ')} (start the stack first)`);

  // The units and whatever catalogue is loaded, from the dossier service as any client reads them.
  const allUnits = (await dossierApi.request<(DossierUnit & HotlineUnit)[]>('GET', '/units', cityAdmin)).body;
  const units = communeLevelUnitCodes(allUnits);
  const hotlineUnits = allUnits.filter((unit) => unit.type === 'ward' || unit.type === 'commune');
  const catalogue = (await dossierApi.request<DemoProcedure[]>('GET', '/procedures', cityAdmin)).body;
  // Without a signing service results that must be signed are resolved and held, never returned unsigned.
  const signed = options.signed === 'hold' ? 'hold' : await signedMode('auto', options.signingUrl);
  const mode = signed === 'skip' ? 'hold' : signed;

  const plan = planCity15Days({ seed: options.seed, scale: options.scale, units, now });
  const t = plan.targets;
  const today = PERIOD_DAYS - 1;
  out(
    `City's first 15 days (${plan.period.from} – ${plan.period.to}), scale ${options.scale}, seed ${options.seed}, run ${runId}`,
  );
  out(
    `  plan: ${plural(t.dossiers)} dossiers over ${plan.days.length - 2} days (${plural(t.online)} online; ` +
      `${[...countBy(plan.dossiers, (d) => d.channel)].map(([c, n]) => `${c} ${plural(n)}`).join(', ')}) ` +
      `by ${units.length} units, ${plural(t.agents)} public-service agents; ${plural(t.hotlineCalls)} calls, ` +
      `${plural(t.appReports)} app reports, ${plural(t.newAppAccounts)} app accounts; ${plural(t.partyMembers)} party members, ` +
      `${plural(t.partyFeeTransactions)} fee payments`,
  );
  out(
    `  dossiers per day: ${plan.days.map((day, i) => `${day.slice(5)} ${countBy(plan.dossiers, (d) => d.day).get(i) ?? 0}`).join(', ')}`,
  );
  out(
    `  catalogue: ${catalogue.length} procedures loaded; signed results: ${mode === 'wait' ? `signed at ${options.signingUrl}` : 'held (no signing service)'}`,
  );

  const reporting = new ReportingReader(options.reportingUrl, cityAdmin);
  const before = await reporting.fifteenDay(plan.period);
  const beforeFigures = (await reporting.summary(plan.period)).figures;

  // Dossiers: the earlier days imported with their times, today's filed now and moved live.
  const timeRng = new SeededRandom(options.seed ^ 0x7135);
  const at = (slot: Slot) => instantOn(plan, slot.day, timeRng.next(), now);
  const mix = new WorkloadMix(new SeededRandom(options.seed), { units, procedures: catalogue, now });
  const history: HistoricalPlan[] = [];
  const live: LivePlan[] = [];
  for (const slot of plan.dossiers) {
    const assigned = { unitCode: slot.unitCode, channel: slot.channel };
    if (slot.day < today) history.push(mix.historical(13, { ...assigned, receivedAt: at(slot) }));
    else live.push(mix.live(assigned));
  }
  // Online submissions refused at intake come on top: they are never received.
  const onlineLive = live.filter((p) => p.channel === 'online');
  const refused = Array.from(
    { length: Math.round((onlineLive.length * ONLINE_REFUSAL_RATE) / (1 - ONLINE_REFUSAL_RATE)) },
    (_, i) => mix.refusedOnline(onlineLive[i % Math.max(1, onlineLive.length)]?.unitCode ?? units[0]!),
  );
  const fields = countBy([...history, ...live], (p) => p.procedure.field);
  out(
    `  procedure mix: ${[...fields]
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => `${f} ${n}`)
      .join(', ')}`,
  );

  const tally = new Tally();
  const signing =
    mode === 'wait'
      ? new DemoSigning(
          options.signingUrl,
          dossierApi,
          tokens,
          stats,
          abort.signal,
          undefined,
          SIGNERS_PER_UNIT,
          options.signersOwnAddresses,
        )
      : undefined;
  const ctx: Context = {
    runId,
    dossiers: dossierApi,
    tokens,
    tally,
    signed: mode,
    abort,
    signal: abort.signal,
    signing,
  };
  const t0 = performance.now();
  Progress.lines = !options.serial;
  // Three lanes, one per service's load, side by side unless --serial: the dossiers (history, then
  // today's with their signatures), the hotline, the party fees. Each lane's time is its phase's.
  const dossierLane = async () => {
    // The earlier days in batches (one transaction each): a request per dossier spends the import on
    // HTTP. --import-batch 1: one request per dossier (POST /dossiers/imports), as before batches.
    const imported = new Progress('dossiers imported', history.length, out);
    if (options.importBatch === 1)
      await pool(history, options.concurrency, async (p) => {
        await importHistorical(p, ctx);
        imported.tick();
      });
    const batches =
      options.importBatch === 1
        ? []
        : Array.from({ length: Math.ceil(history.length / options.importBatch) }, (_, i) =>
            history.slice(i * options.importBatch, (i + 1) * options.importBatch),
          );
    await pool(batches, options.importConcurrency, async (batch) => {
      await importHistoricalBatch(batch, ctx);
      for (const _plan of batch) imported.tick();
    });
    const importedS = (performance.now() - t0) / 1000;
    const filed = new Progress('dossiers filed today', live.length + refused.length, out);
    await pool([...live, ...refused], options.liveConcurrency, async (p) => {
      await fileLive(p, ctx);
      filed.tick();
    });
    out(printTally(tally, stats, (performance.now() - t0) / 1000, (performance.now() - t0) / 1000));
    if (signing) out(`  signed by the demo signers: ${signing.completed}, not signed: ${signing.failed}`);
    return { importedS, filedS: (performance.now() - t0) / 1000 - importedS };
  };

  // The hotline: calls, app reports and accounts on their planned days and units.
  const hotlineLane = async () => {
    const started = performance.now();
    const dated = (slots: readonly Slot[]) =>
      slots.map((slot) => ({ at: at(slot), unitCode: slot.unitCode }));
    const hotlinePlan = {
      calls: dated(plan.calls),
      appReports: dated(plan.appReports),
      appAccounts: dated(plan.appAccounts),
    };
    const hotlineProgress = new Progress(
      'hotline records',
      plan.calls.length + plan.appReports.length + plan.appAccounts.length,
      out,
    );
    const result = await runHotlineWorkload(
      new ApiClient(options.hotlineUrl, stats, { signal: abort.signal }),
      tokens,
      new SeededRandom(options.seed ^ 0x1022),
      hotlineUnits,
      {
        dossiers: 0,
        plan: hotlinePlan,
        runId,
        now,
        days: PERIOD_DAYS,
        concurrency: options.concurrency,
        onProgress: hotlineProgress.tick,
      },
    );
    out(formatHotlineTally(result));
    return { result, seconds: (performance.now() - started) / 1000 };
  };

  // Party fees: members imported with their registration times, payments at theirs.
  const partyLane = async () => {
    const started = performance.now();
    const partyProgress = new Progress(
      'party members, payments',
      plan.members.length + plan.payments.length,
      out,
    );
    const memberTimes = plan.members.map((slot) => at(slot));
    const result = await runPartyFeeWorkload({
      url: options.partyFeeUrl,
      dossiers: 0,
      units,
      runId,
      concurrency: options.concurrency,
      memberBatch: options.importBatch === 1 ? 1 : 500,
      batchConcurrency: options.importConcurrency,
      rng: new SeededRandom(options.seed ^ 0xd4),
      tokens,
      stats,
      plan: {
        members: plan.members.map((slot, i) => ({ unitCode: slot.unitCode, at: memberTimes[i]! })),
        payments: plan.payments.map((slot) => ({ member: slot.member, at: at(slot) })),
      },
      onProgress: partyProgress.tick,
    });
    out(formatPartyFeeTally(result));
    return { result, seconds: (performance.now() - started) / 1000 };
  };

  let lanes: [
    Awaited<ReturnType<typeof dossierLane>>,
    Awaited<ReturnType<typeof hotlineLane>>,
    Awaited<ReturnType<typeof partyLane>>,
  ];
  if (options.serial) {
    const dossierTimes = await dossierLane();
    const hotlineDone = await hotlineLane();
    lanes = [dossierTimes, hotlineDone, await partyLane()];
  } else {
    // One lane's failure stops the others (abort) rather than leaving them running unseen.
    lanes = await Promise.all([dossierLane(), hotlineLane(), partyLane()]).catch((error: unknown) => {
      abort.abort();
      throw error;
    });
  }
  const [dossierTimes, { result: hotline, seconds: hotlineS }, { result: partyFees, seconds: partyFeesS }] =
    lanes;
  const simulatedS = (performance.now() - wallStart) / 1000;

  // The reporting service's 15-day report once it has consumed all of it.
  out(`Waiting (at most ${options.reportWaitS} s) for the reporting service ...`);
  const waited = await waitForReport(
    reporting,
    plan,
    before.report,
    {
      dossiersReceived: tally.received,
      hotlineCalls: hotline.calls,
      appReports: hotline.reports.get('ihanoi') ?? 0,
      newAppAccounts: hotline.accounts,
      partyMembersRegistered: partyFees.members,
      partyFeeTransactions: partyFees.payments,
    },
    options.reportWaitS * 1000,
    out,
  );
  out(
    waited.consumed
      ? `  consumed after ${(waited.waitedMs / 1000).toFixed(1)} s`
      : `  not all consumed after ${(waited.waitedMs / 1000).toFixed(1)} s: the figures below are partial`,
  );
  const afterFigures = (await reporting.summary(plan.period)).figures;
  const checks = checkFigures(before.report, waited.report, options.scale);

  // Reconciliation of every service over the period (eventually consistent: a few tries).
  let reconciliation: Reconciliation | undefined;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    reconciliation = await reconcile(options, plan.period, cityAdmin, up.signing);
    if (reconciliation.differences === 0) break;
    if (attempt < 3) await new Promise((done) => setTimeout(done, 10_000));
  }
  const wallS = (performance.now() - wallStart) / 1000;
  const round = (seconds: number) => Math.round(seconds * 10) / 10;
  // Where the wall time went (seconds per phase; without --serial the three lanes overlap).
  const phases = {
    setup: round((t0 - wallStart) / 1000),
    dossiersImported: round(dossierTimes.importedS),
    dossiersFiledToday: round(dossierTimes.filedS),
    hotline: round(hotlineS),
    partyFees: round(partyFeesS),
    reportWait: round(waited.waitedMs / 1000),
    reconciliation: round(wallS - simulatedS - waited.waitedMs / 1000),
  };
  out(
    `  phases (s): ${Object.entries(phases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const freshness = await freshnessPhase(options, out);

  out(formatChecks(plan, checks, waited.report, beforeFigures, afterFigures));
  out(`Reconciliation (npm run reconcile -- --from ${plan.period.from} --to ${plan.period.to}):`);
  for (const line of reconciliation!.output.slice(-25)) out(`  ${line}`);
  out(`city_15_days_wall_s ${wallS.toFixed(1)} (simulated through the APIs in ${simulatedS.toFixed(1)} s)`);

  const errors = [
    ...[...tally.errors].map(([k, n]) => `dossier ${k}: ${n}`),
    ...[...hotline.errors].map(([k, n]) => `hotline ${k}: ${n}`),
    ...[...partyFees.errors].map(([k, n]) => `${k}: ${n}`),
    ...(partyFees.skipped ? [partyFees.skipped] : []),
  ];
  const passed =
    checks.every((c) => c.withinTolerance) && reconciliation!.differences === 0 && errors.length === 0;
  const result = {
    generatedAt: new Date().toISOString(),
    seed: options.seed,
    scale: options.scale,
    period: plan.period,
    city_15_days_wall_s: Math.round(wallS * 10) / 10,
    simulated_s: Math.round(simulatedS * 10) / 10,
    report_wait_s: Math.round(waited.waitedMs / 100) / 10,
    phases_s: phases,
    options: {
      importBatch: options.importBatch,
      importConcurrency: options.importConcurrency,
      concurrency: options.concurrency,
      liveConcurrency: options.liveConcurrency,
      signed: options.signed,
      signersOwnAddresses: options.signersOwnAddresses,
      serial: options.serial,
    },
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    passed,
    tolerance: TOLERANCE,
    figures: checks,
    report: {
      before: before.report,
      after: waited.report,
      freshness: waited.freshness,
      consumed: waited.consumed,
    },
    detail: {
      agents: t.agents,
      catalogueProcedures: catalogue.length,
      dossiers: {
        imported: tally.imported,
        filedToday: tally.filed,
        refusedAtIntake: refused.length,
        historyOutcomes: Object.fromEntries(tally.historyOutcomes),
        transitions: Object.fromEntries(tally.transitions),
        procedureMix: Object.fromEntries(fields),
        awaitingSignature: tally.awaitingSignature,
        signedByDemo: signing?.completed ?? 0,
      },
      figuresBefore: beforeFigures.dossiers,
      figuresAfter: afterFigures.dossiers,
      signaturesAfter: afterFigures.signatures ?? null,
      hotline: {
        calls: hotline.calls,
        reports: Object.fromEntries(hotline.reports),
        accounts: hotline.accounts,
        accountsAlreadyRegistered: hotline.accountsAlreadyRegistered,
        steps: Object.fromEntries(hotline.steps),
      },
      partyFees: {
        members: partyFees.members,
        cells: partyFees.cells,
        payments: partyFees.payments,
        online: partyFees.online,
        cash: partyFees.cash,
        collectedVnd: partyFees.collectedVnd,
      },
      requests: stats.requests,
    },
    reconciliation,
    errors,
    ...(freshness ? { freshness } : {}),
  };
  mkdirSync(resolve(RESULT_FILE, '..'), { recursive: true });
  writeFileSync(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
  out(
    `Written to ${RESULT_FILE}${passed ? '' : ' (NOT all figures within ±1 %, or differences, or errors: see above)'}`,
  );
  return passed ? 0 : 1;
}

/** The freshness phase (issue 17) after the 15 days, outside their wall time; a failure is reported, not fatal. */
async function freshnessPhase(
  options: CityOptions,
  out: (line?: string) => void,
): Promise<FreshnessSection | undefined> {
  if (options.freshnessMinutes === 0) return undefined;
  try {
    return await runBusiestHourPhase(
      { ...PHASE_DEFAULTS, ...options, minutes: options.freshnessMinutes },
      out,
    );
  } catch (error) {
    out(`  freshness phase failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function formatChecks(
  plan: CityPlan,
  checks: readonly FigureCheck[],
  report: FifteenDayReport,
  before: CityFigures,
  after: CityFigures,
): string {
  const n = (value: number | null, share: boolean) =>
    value === null ? '–' : share ? `${(value * 100).toFixed(2)} %` : plural(Math.round(value * 100) / 100);
  const rows = checks.map((c) => {
    const share = c.figure === 'shareOnline';
    return [
      c.figure,
      n(c.article, share),
      n(c.target, share),
      n(c.value, share),
      c.deviation === null ? '–' : `${(c.deviation * 100).toFixed(2)} %`,
      c.withinTolerance ? 'ok' : 'OUT',
    ];
  });
  const header = ['figure', 'article', `target ×${plan.scale}`, 'this run', 'deviation', '±1 %'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  const d = (key: keyof CityFigures['dossiers']) =>
    (after.dossiers[key] as number) - (before.dossiers[key] as number);
  return [
    `City 15-day report ${plan.period.from} – ${plan.period.to} (reporting API; this run's share of it beside the article's figures)`,
    line(header),
    ...rows.map(line),
    `  procedures in use ${report.proceduresInUse}; resolved ${plural(d('resolved'))} (on time ${plural(d('resolvedOnTime'))}, late ${plural(d('resolvedLate'))}), ` +
      `returned ${plural(d('returned'))}, supplements ${plural(d('supplementsRequested'))}, fees paid ${plural(d('feesPaidVnd'))} VND, ` +
      `signatures completed ${plural((after.signatures?.completed ?? 0) - (before.signatures?.completed ?? 0))}`,
  ].join('\n');
}
