// The freshness phase of the city's 15 days (issue 17): `freshness_p99_ms`, the 99th percentile of
// the time from a source service accepting a record until the reporting service's projection shows
// it, while the simulator runs at 10× the article's busiest hour. The load is derived from the plan
// (city-15-days-plan.ts) at the article's scale; live records go through the public APIs of the
// four source services at that rate for M minutes, and the reporting API is polled meanwhile.
// Reporting keeps no per-event apply latency (only consumer lag and the event time it is complete
// up to), so freshness is measured from outside, by count watermark: the k-th record of a kind
// accepted in the phase counts as visible at the first poll, sent after it was accepted, whose
// count of that kind is at least the baseline plus k.
//
// Runs after the 15 days (`--city-15-days --freshness-minutes M`, 0 to skip) or alone against a
// running stack: `npm run simulate -- --busiest-hour-x10 [--minutes 2]`, which writes its section
// into bench/results/city-15-days-latest.json (the rest of the file is kept).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, assertLocalTarget, RequestStats } from './api-client';
import { type CityPlan, planCity15Days } from './city-15-days-plan';
import { fifteenDayPeriod, type FifteenDayReport } from './city-summary';
import { DemoTokens } from './dev-tokens';
import { SeededRandom } from './seeded-random';
import { communeLevelUnitCodes, type DossierUnit } from './units';
import { type DemoProcedure, WorkloadMix } from './workload-mix';

/** The issue's load: ten times the article's busiest hour. */
export const LOAD_FACTOR = 10;
/** instantOn (city-15-days-plan.ts) spreads each day's records evenly over 07:30–20:30 Hanoi. */
export const BUSINESS_HOURS_PER_DAY = 13;
/** The goal of issue 17 (a goal, not a gate). */
export const FRESHNESS_P99_GOAL_MS = 1_000;

/** What the phase files: one live record of each of the plan's four services' counted kinds. */
export const LOAD_KINDS = ['dossier', 'call', 'appReport', 'payment', 'member'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/** The figure of the city's 15-day report that counts each kind (what the poller reads). */
export const FIGURE_OF: Record<LoadKind, keyof FifteenDayReport> = {
  dossier: 'dossiersReceived',
  call: 'hotlineCalls',
  appReport: 'appReports',
  payment: 'partyFeeTransactions',
  member: 'partyMembersRegistered',
};

type PerKind = Record<LoadKind, number>;
const perKind = (value: (kind: LoadKind) => number): PerKind =>
  Object.fromEntries(LOAD_KINDS.map((kind) => [kind, value(kind)])) as PerKind;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface BusiestHour {
  /** Index of the busiest day in the period (0 = the first, 14 = today) and its Hanoi date. */
  day: number;
  date: string;
  /** The plan's records of each kind on that day, at the article's scale (1). */
  dayCounts: PerKind;
  dayTotal: number;
  /** The day's records over its business hours: the busiest hour of the article. */
  hourCounts: PerKind;
  hourTotal: number;
  loadFactor: number;
  /** The phase's load: `loadFactor` × the busiest hour, per second, in all and per kind. */
  ratePerSecond: number;
  ratesPerSecond: PerKind;
  derivation: string;
}

/**
 * The article's busiest hour from the plan at scale 1: the day with the most records over the four
 * services (dossiers received, hotline calls and app reports, fee payments, members registered);
 * the plan spreads a day's records evenly over its 13 business hours, so its busiest hour holds
 * 1/13 of them. `loadFactor` times that, per second, is the phase's load.
 */
export function busiestHourOf(plan: CityPlan, loadFactor = LOAD_FACTOR): BusiestHour {
  if (plan.scale !== 1) throw new RangeError('the article is the plan at scale 1');
  const byDay = plan.days.map(() => perKind(() => 0));
  for (const slot of plan.dossiers) byDay[slot.day]!.dossier += 1;
  for (const slot of plan.calls) byDay[slot.day]!.call += 1;
  for (const slot of plan.appReports) byDay[slot.day]!.appReport += 1;
  for (const slot of plan.payments) byDay[slot.day]!.payment += 1;
  for (const slot of plan.members) byDay[slot.day]!.member += 1;
  const totals = byDay.map((counts) => LOAD_KINDS.reduce((sum, kind) => sum + counts[kind], 0));
  const day = totals.indexOf(Math.max(...totals));
  const dayCounts = byDay[day]!;
  const dayTotal = totals[day]!;
  const hourCounts = perKind((kind) => dayCounts[kind] / BUSINESS_HOURS_PER_DAY);
  const hourTotal = dayTotal / BUSINESS_HOURS_PER_DAY;
  const ratesPerSecond = perKind((kind) => round((hourCounts[kind] * loadFactor) / 3600, 3));
  const ratePerSecond = round((hourTotal * loadFactor) / 3600, 3);
  const list = LOAD_KINDS.map((kind) => `${kind} ${dayCounts[kind]}`).join(', ');
  return {
    day,
    date: plan.days[day]!,
    dayCounts,
    dayTotal,
    hourCounts: perKind((kind) => round(hourCounts[kind], 1)),
    hourTotal: round(hourTotal, 1),
    loadFactor,
    ratePerSecond,
    ratesPerSecond,
    derivation:
      `plan at the article's scale (1): busiest day ${plan.days[day]} (day ${day + 1} of ${plan.days.length}) ` +
      `with ${dayTotal} records (${list}); its ${BUSINESS_HOURS_PER_DAY} business hours (07:30–20:30, ` +
      `spread evenly by the plan) give ${round(hourTotal, 1)} an hour; × ${loadFactor} / 3600 s = ${ratePerSecond}/s`,
  };
}

/** Nearest-rank percentile (`q` in (0, 1]) of `values`; null when there are none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError('q must be in (0, 1]');
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * The order of the phase's requests: `n` kinds dealt by smooth weighted round robin over `weights`,
 * so that every stretch of the phase carries the busiest hour's mix, not one kind after another.
 */
export function kindSequence(weights: PerKind, n: number): LoadKind[] {
  const total = LOAD_KINDS.reduce((sum, kind) => sum + Math.max(0, weights[kind]), 0);
  if (!(total > 0)) throw new RangeError('weights must add up to more than 0');
  const credit = perKind(() => 0);
  const sequence: LoadKind[] = [];
  for (let i = 0; i < n; i += 1) {
    let best: LoadKind = LOAD_KINDS[0];
    for (const kind of LOAD_KINDS) {
      credit[kind] += Math.max(0, weights[kind]);
      if (credit[kind] > credit[best]) best = kind;
    }
    credit[best] -= total;
    sequence.push(best);
  }
  return sequence;
}

/** One read of the report: when it was sent and answered (ms, one clock), and the counts it gave. */
export interface Poll {
  sentAt: number;
  receivedAt: number;
  counts: PerKind;
}

/**
 * Count watermark: for records of one kind accepted at `acceptedAt` (any order), the time each one
 * became visible: the k-th accepted (by time) at the answer of the first poll sent at or after its
 * acceptance whose count is at least `baseline + k`; null when no poll shows it. Records applied
 * out of order are matched in acceptance order (the sum of the delays is exact; their spread can
 * only come out narrower). Returns [accepted, visible] pairs in acceptance order.
 */
export function watermarkVisibility(
  acceptedAt: readonly number[],
  polls: readonly Pick<Poll, 'sentAt' | 'receivedAt'>[],
  countOf: (poll: number) => number,
  baseline: number,
): [number, number | null][] {
  const accepted = [...acceptedAt].sort((a, b) => a - b);
  const result: [number, number | null][] = [];
  let p = 0;
  for (const [index, at] of accepted.entries()) {
    while (p < polls.length && (polls[p]!.sentAt < at || countOf(p) - baseline < index + 1)) p += 1;
    result.push([at, p < polls.length ? polls[p]!.receivedAt : null]);
  }
  return result;
}

export interface FreshnessSummary {
  freshness_p50_ms: number | null;
  freshness_p99_ms: number | null;
  freshness_max_ms: number | null;
  samples: number;
  not_visible: number;
}

/**
 * The delays of `pairs` (visible − accepted) summarised. A record never seen counts with its delay up
 * to `gaveUpAt` (a lower bound), so that it cannot make the percentiles look better than they were.
 */
export function summarise(pairs: readonly [number, number | null][], gaveUpAt: number): FreshnessSummary {
  const delays = pairs.map(([at, visible]) => Math.max(0, (visible ?? gaveUpAt) - at));
  const ms = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    freshness_p50_ms: ms(percentile(delays, 0.5)),
    freshness_p99_ms: ms(percentile(delays, 0.99)),
    freshness_max_ms: ms(delays.length === 0 ? null : Math.max(...delays)),
    samples: pairs.length,
    not_visible: pairs.filter(([, visible]) => visible === null).length,
  };
}

export interface PhaseOptions {
  minutes: number;
  seed: number;
  pollMs: number;
  /** Most requests in flight at once; an arrival beyond it is not sent (counted as `skipped`). */
  maxInFlight: number;
  /** After the last request, how long the poller waits for the records still missing. */
  drainS: number;
  dossierUrl: string;
  hotlineUrl: string;
  partyFeeUrl: string;
  reportingUrl: string;
}

/** The results file's `freshness` section (bench/e2e/results.ts reads `freshness_p99_ms` from it). */
export interface FreshnessSection extends FreshnessSummary {
  measured_at: string;
  method: string;
  goal_p99_ms: number;
  load: BusiestHour;
  /** The rate the phase reached: requests accepted per second of the phase. */
  rate_per_second: number;
  minutes: number;
  poll_ms: number;
  requests: { sent: number; accepted: number; failed: number; skipped: number };
  by_kind: Record<LoadKind, FreshnessSummary & { accepted: number }>;
  accept_latency_ms: { p50: number | null; p99: number | null };
  poll_latency_ms: { p50: number | null; p99: number | null };
  load_average: { at_start: number[]; at_end: number[] };
  errors: Record<string, number>;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, Math.max(0, ms)));

/** The cells and members the payments go to, made before the baseline (not measured). */
interface PartySetup {
  cells: { id: string; unitCode: string }[];
  members: { id: string; unitCode: string }[];
}

/**
 * The phase: derives the load, sets up what payments need, reads a settled baseline, drives the
 * busiest hour's mix at ×10 through the APIs for `minutes` while polling the report, then waits
 * (bounded) for the last records and summarises the delays.
 */
export async function runBusiestHourPhase(
  options: PhaseOptions,
  out: (line?: string) => void,
): Promise<FreshnessSection> {
  const loadAtStart = loadavg().map((x) => round(x, 2));
  const tokens = new DemoTokens();
  const stats = new RequestStats();
  const runId = randomUUID().slice(0, 8);
  const cityAdmin = await tokens.cityReader();
  const dossiers = new ApiClient(options.dossierUrl, stats, { maxAttempts: 3 });
  const hotline = new ApiClient(options.hotlineUrl, stats, { maxAttempts: 3 });
  const partyFee = new ApiClient(options.partyFeeUrl, stats, { maxAttempts: 3 });
  const reportingApi = new ApiClient(options.reportingUrl, new RequestStats(), { maxAttempts: 2 });

  const allUnits = (await dossiers.request<DossierUnit[]>('GET', '/units', cityAdmin)).body;
  const units = communeLevelUnitCodes(allUnits);
  const procedures = (await dossiers.request<DemoProcedure[]>('GET', '/procedures', cityAdmin)).body;
  const now = new Date();
  const load = busiestHourOf(planCity15Days({ seed: options.seed, scale: 1, units, now }));
  out(`Freshness at ${LOAD_FACTOR}× the article's busiest hour, ${options.minutes} min (run ${runId})`);
  out(`  load: ${load.derivation}`);

  const period = fifteenDayPeriod(now);
  const readCounts = async (): Promise<{ counts: PerKind; lag: number | null }> => {
    const { body } = await reportingApi.request<{
      report: FifteenDayReport;
      freshness: { consumerLag: { messages: number | null } };
    }>('GET', `/reports/city/fifteen-day?from=${period.from}&to=${period.to}`, cityAdmin);
    return {
      counts: perKind((kind) => body.report[FIGURE_OF[kind]] as number),
      lag: body.freshness.consumerLag.messages,
    };
  };

  // Party cells and members for the payments, in a few units, before the baseline.
  const before = await readCounts();
  const setupUnits = units.slice(0, Math.min(5, units.length));
  const setup: PartySetup = { cells: [], members: [] };
  for (const [u, unitCode] of setupUnits.entries()) {
    const officer = await tokens.officer(unitCode);
    const cell = await partyFee.request<{ id: string }>(
      'POST',
      '/cells',
      officer,
      {
        code: `fresh-${runId}-${u}`,
        name: `Chi bộ đo độ tươi ${u + 1}`,
        unitCode,
        bankBin: '970436',
        bankAccount: `${Date.now() % 1_000_000}${String(u).padStart(6, '0')}`,
      },
      randomUUID(),
    );
    setup.cells.push({ id: cell.body.id, unitCode });
    for (let m = 0; m < 4; m += 1) {
      const member = await partyFee.request<{ id: string }>(
        'POST',
        '/members',
        officer,
        memberBody(runId, `s${u}${m}`, cell.body.id),
        randomUUID(),
      );
      setup.members.push({ id: member.body.id, unitCode });
    }
  }

  // A settled baseline: the set-up's members counted, no lag, the counts unchanged for 2 s.
  const settleUntil = Date.now() + 120_000;
  let baseline = await readCounts();
  for (;;) {
    await sleep(2_000);
    const next = await readCounts();
    const same = LOAD_KINDS.every((kind) => next.counts[kind] === baseline.counts[kind]);
    const setupIn = next.counts.member - before.counts.member >= setup.members.length;
    baseline = next;
    if ((same && setupIn && next.lag === 0) || Date.now() > settleUntil) break;
  }
  out(`  baseline: ${LOAD_KINDS.map((kind) => `${FIGURE_OF[kind]} ${baseline.counts[kind]}`).join(', ')}`);

  // The arrivals: open loop at the rate, the busiest hour's mix.
  const total = Math.max(1, Math.round(load.ratePerSecond * options.minutes * 60));
  const sequence = kindSequence(load.ratesPerSecond, total);
  const intervalMs = 1000 / load.ratePerSecond;
  const mix = new WorkloadMix(new SeededRandom(options.seed ^ 0xf7e5), { units, procedures, now });
  const rng = new SeededRandom(options.seed ^ 0x99);
  const accepted = perKindLists();
  const acceptLatencies: number[] = [];
  const errors = new Map<string, number>();
  let inFlight = 0;
  let skipped = 0;
  let sent = 0;
  const send = makeSenders({ runId, tokens, dossiers, hotline, partyFee, mix, rng, units, setup });

  const polls: Poll[] = [];
  const pollLatencies: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const sentAt = performance.now();
      try {
        const { counts } = await readCounts();
        const receivedAt = performance.now();
        polls.push({ sentAt, receivedAt, counts });
        pollLatencies.push(receivedAt - sentAt);
      } catch (error) {
        errors.set(`poll: ${String(error)}`, (errors.get(`poll: ${String(error)}`) ?? 0) + 1);
      }
      await sleep(sentAt + options.pollMs - performance.now());
    }
  })();

  const started = performance.now();
  const requests: Promise<void>[] = [];
  let lastTenth = -1;
  for (const [i, kind] of sequence.entries()) {
    await sleep(started + i * intervalMs - performance.now());
    const tenth = Math.floor((i * 10) / sequence.length);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      out(`  [${String(tenth * 10).padStart(3)} %] ${i}/${sequence.length} sent, ${inFlight} in flight`);
    }
    if (inFlight >= options.maxInFlight) {
      skipped += 1;
      continue;
    }
    inFlight += 1;
    sent += 1;
    const sentAt = performance.now();
    requests.push(
      send[kind](i)
        .then(
          () => {
            const at = performance.now();
            accepted[kind].push(at);
            acceptLatencies.push(at - sentAt);
          },
          (error: unknown) => {
            const key = `${kind}: ${error instanceof Error ? error.message.slice(0, 100) : String(error)}`;
            errors.set(key, (errors.get(key) ?? 0) + 1);
          },
        )
        .finally(() => (inFlight -= 1)),
    );
  }
  await Promise.all(requests);
  const sentS = (performance.now() - started) / 1000;
  const acceptedTotal = LOAD_KINDS.reduce((sum, kind) => sum + accepted[kind].length, 0);

  // Bounded drain: until every accepted record is counted, or drainS.
  const drainUntil = performance.now() + options.drainS * 1000;
  const allSeen = () => {
    const last = polls.at(-1);
    return (
      last !== undefined &&
      LOAD_KINDS.every((kind) => last.counts[kind] - baseline.counts[kind] >= accepted[kind].length)
    );
  };
  while (!allSeen() && performance.now() < drainUntil) await sleep(options.pollMs);
  // One more poll after the last acceptance, so that the last records have a poll sent after them.
  await sleep(2 * options.pollMs);
  polling = false;
  await poller;
  const gaveUpAt = performance.now();

  const pairsByKind = perKindPairs((kind) =>
    watermarkVisibility(accepted[kind], polls, (p) => polls[p]!.counts[kind], baseline.counts[kind]),
  );
  const all = LOAD_KINDS.flatMap((kind) => pairsByKind[kind]);
  const summary = summarise(all, gaveUpAt);
  const pct = (values: number[]) => ({
    p50: values.length ? Math.round(percentile(values, 0.5)!) : null,
    p99: values.length ? Math.round(percentile(values, 0.99)!) : null,
  });
  const section: FreshnessSection = {
    measured_at: new Date().toISOString(),
    method:
      'measured from outside (reporting records no per-event apply latency): accepted = the source ' +
      "service's 2xx answer; visible = the answer of the first GET /reports/city/fifteen-day sent after " +
      `it (one every ${options.pollMs} ms) whose count of the record's kind reached the settled baseline ` +
      "plus its rank among the phase's accepted records of that kind (count watermark); so the figure " +
      'includes up to one poll interval and one poll round trip',
    goal_p99_ms: FRESHNESS_P99_GOAL_MS,
    ...summary,
    load,
    rate_per_second: round(acceptedTotal / sentS, 2),
    minutes: options.minutes,
    poll_ms: options.pollMs,
    requests: { sent, accepted: acceptedTotal, failed: sent - acceptedTotal, skipped },
    by_kind: perKindSummary((kind) => ({
      ...summarise(pairsByKind[kind], gaveUpAt),
      accepted: accepted[kind].length,
    })),
    accept_latency_ms: pct(acceptLatencies),
    poll_latency_ms: pct(pollLatencies),
    load_average: { at_start: loadAtStart, at_end: loadavg().map((x) => round(x, 2)) },
    errors: Object.fromEntries(errors),
  };
  out(formatFreshness(section));
  return section;
}

const perKindLists = () =>
  Object.fromEntries(LOAD_KINDS.map((kind) => [kind, [] as number[]])) as Record<LoadKind, number[]>;
const perKindPairs = (make: (kind: LoadKind) => [number, number | null][]) =>
  Object.fromEntries(LOAD_KINDS.map((kind) => [kind, make(kind)])) as Record<
    LoadKind,
    [number, number | null][]
  >;
const perKindSummary = <T>(make: (kind: LoadKind) => T) =>
  Object.fromEntries(LOAD_KINDS.map((kind) => [kind, make(kind)])) as Record<LoadKind, T>;

function memberBody(runId: string, suffix: string, cellId: string) {
  return {
    cardNumber: `FR${runId.slice(0, 6)}${suffix}`.slice(0, 20),
    name: `Đảng viên đo độ tươi ${suffix}`,
    cellId,
    category: 'student',
  };
}

/** One request per kind: the record the report counts, through the service's public API. */
function makeSenders(ctx: {
  runId: string;
  tokens: DemoTokens;
  dossiers: ApiClient;
  hotline: ApiClient;
  partyFee: ApiClient;
  mix: WorkloadMix;
  rng: SeededRandom;
  units: readonly string[];
  setup: PartySetup;
}): Record<LoadKind, (i: number) => Promise<void>> {
  const { runId, tokens, rng, setup } = ctx;
  const key = (kind: string, i: number) => `fresh-${runId}-${kind}-${i}`;
  return {
    // A dossier received at a desk (received on filing; an online one only once accepted).
    dossier: async (i) => {
      const plan = ctx.mix.live({ unitCode: rng.pick(ctx.units), channel: 'direct' });
      await ctx.dossiers.request(
        'POST',
        '/dossiers',
        await tokens.officer(plan.unitCode),
        {
          unitCode: plan.unitCode,
          procedureCode: plan.procedure.code,
          channel: plan.channel,
          applicant: plan.applicant,
          digitised: plan.digitised,
          attachments: [
            { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 48_000, sha256: rng.hex(64) },
          ],
        },
        key('dossier', i),
      );
    },
    // A 1022 call as the PBX reports its start (counted), then its end.
    call: async (i) => {
      const pbx = await tokens.hotlineChannel('pbx');
      const uniqueId = `fresh-${runId}-${i}`;
      const callerNumber = `09${rng.digits(8)}`;
      const startedAt = new Date().toISOString();
      await ctx.hotline.request(
        'POST',
        '/pbx/call-events',
        pbx,
        { event: 'started', uniqueId, callerNumber, startedAt },
        key('call', i),
      );
      void ctx.hotline
        .request(
          'POST',
          '/pbx/call-events',
          pbx,
          {
            event: 'ended',
            uniqueId,
            callerNumber,
            startedAt,
            endedAt: new Date().toISOString(),
            durationSeconds: 1,
            disposition: 'abandoned',
            queue: 'hotline1022',
          },
          key('call-end', i),
        )
        .catch(() => undefined);
    },
    // A citizen's report from the iHanoi app.
    appReport: async (i) => {
      await ctx.hotline.request(
        'POST',
        '/reports',
        await tokens.hotlineChannel('ihanoi'),
        {
          channel: 'ihanoi',
          categoryCode: 'environment.waste',
          level: 'normal',
          description: `Phản ánh đo độ tươi ${runId}-${i}`,
          location: { address: `Số ${rng.int(1, 400)} Trần Phú, Phường Hoàn Kiếm, Hà Nội` },
          reporter: { phone: `09${rng.digits(8)}` },
          media: [],
        },
        key('report', i),
      );
    },
    // A fee paid in cash to a set-up member's treasurer.
    payment: async (i) => {
      const member = setup.members[i % setup.members.length]!;
      await ctx.partyFee.request(
        'POST',
        '/payments/cash',
        await tokens.officer(member.unitCode),
        { memberId: member.id, amountVnd: 5_000 },
        key('payment', i),
      );
    },
    // A party member registered by the unit's officer.
    member: async (i) => {
      const cell = setup.cells[i % setup.cells.length]!;
      await ctx.partyFee.request(
        'POST',
        '/members',
        await tokens.officer(cell.unitCode),
        memberBody(runId, `m${i}`, cell.id),
        key('member', i),
      );
    },
  };
}

export function formatFreshness(s: FreshnessSection): string {
  const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
  const kinds = LOAD_KINDS.map(
    (kind) =>
      `${kind} ${s.by_kind[kind].accepted} (p99 ${ms(s.by_kind[kind].freshness_p99_ms)}${s.by_kind[kind].not_visible ? `, ${s.by_kind[kind].not_visible} not seen` : ''})`,
  ).join(', ');
  return [
    `  freshness_p99_ms ${s.freshness_p99_ms ?? '–'} (goal ≤ ${s.goal_p99_ms}); p50 ${ms(s.freshness_p50_ms)}, max ${ms(s.freshness_max_ms)}, ` +
      `${s.samples} samples${s.not_visible ? `, ${s.not_visible} not seen in time` : ''}`,
    `  rate ${s.rate_per_second}/s reached (target ${s.load.ratePerSecond}/s); requests ${s.requests.sent} sent, ` +
      `${s.requests.accepted} accepted, ${s.requests.failed} failed, ${s.requests.skipped} skipped`,
    `  by kind: ${kinds}`,
    `  accept latency p50 ${ms(s.accept_latency_ms.p50)} p99 ${ms(s.accept_latency_ms.p99)}; ` +
      `poll round trip p50 ${ms(s.poll_latency_ms.p50)} p99 ${ms(s.poll_latency_ms.p99)}; ` +
      `load average ${s.load_average.at_start.join(' ')} → ${s.load_average.at_end.join(' ')}`,
    ...Object.entries(s.errors).map(([k, n]) => `  error ${k}: ${n}`),
  ].join('\n');
}

/** tools/simulator/{src,dist}/ → the repository root, whatever the working directory. */
const REPO_ROOT = resolve(__dirname, '../../..');
export const CITY_RESULT_FILE = resolve(REPO_ROOT, 'bench', 'results', 'city-15-days-latest.json');

/** `--minutes`/`--freshness-minutes`: a number of minutes in [0, 60] (0: no phase). */
export function parseMinutes(value: string, flag: string): number {
  const minutes = Number(value);
  if (!(Number.isFinite(minutes) && minutes >= 0 && minutes <= 60))
    throw new Error(`${flag} must be a number of minutes in [0, 60]`);
  return minutes;
}

export const PHASE_DEFAULTS = { pollMs: 200, maxInFlight: 64, drainS: 60 } as const;

const usage = `Usage: simulate --busiest-hour-x10 [--minutes 2] [--seed S] [--poll-ms 200] [--drain S]
                [--dossier-url URL] [--hotline-url URL] [--party-fee-url URL] [--reporting-url URL]`;

/**
 * `npm run simulate -- --busiest-hour-x10 --minutes M` against a running stack: the phase alone,
 * its section written into the city-15-days results (the rest of the file kept).
 */
export async function runBusiestHourX10(argv: string[]): Promise<number> {
  const env = process.env;
  const { values } = parseArgs({
    args: argv,
    options: {
      'busiest-hour-x10': { type: 'boolean' },
      minutes: { type: 'string', default: '2' },
      seed: { type: 'string', default: '2025' },
      'poll-ms': { type: 'string', default: String(PHASE_DEFAULTS.pollMs) },
      drain: { type: 'string', default: String(PHASE_DEFAULTS.drainS) },
      'dossier-url': { type: 'string', default: env.DOSSIER_URL ?? 'http://127.0.0.1:3101' },
      'hotline-url': { type: 'string', default: env.HOTLINE_URL ?? 'http://127.0.0.1:3103' },
      'party-fee-url': { type: 'string', default: env.PARTY_FEE_URL ?? 'http://127.0.0.1:3104' },
      'reporting-url': { type: 'string', default: env.REPORTING_URL ?? 'http://127.0.0.1:3105' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const minutes = parseMinutes(values.minutes, '--minutes');
  const pollMs = Number(values['poll-ms']);
  const drainS = Number(values.drain);
  const seed = Number(values.seed);
  if (!(Number.isInteger(pollMs) && pollMs >= 20 && pollMs <= 5_000))
    throw new Error('--poll-ms in [20, 5000]');
  if (!(Number.isInteger(drainS) && drainS >= 1 && drainS <= 600)) throw new Error('--drain in [1, 600] s');
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new Error('--seed in [0, 2^32)');
  if (minutes === 0) throw new Error('--minutes must be more than 0');
  const section = await runBusiestHourPhase(
    {
      minutes,
      seed,
      pollMs,
      drainS,
      maxInFlight: PHASE_DEFAULTS.maxInFlight,
      dossierUrl: assertLocalTarget(values['dossier-url'], '--dossier-url'),
      hotlineUrl: assertLocalTarget(values['hotline-url'], '--hotline-url'),
      partyFeeUrl: assertLocalTarget(values['party-fee-url'], '--party-fee-url'),
      reportingUrl: assertLocalTarget(values['reporting-url'], '--reporting-url'),
    },
    (line = '') => process.stdout.write(`${line}\n`),
  );
  writeFreshnessSection(CITY_RESULT_FILE, section);
  process.stdout.write(`Written (section "freshness") to ${CITY_RESULT_FILE}\n`);
  return section.requests.failed === 0 && section.not_visible === 0 ? 0 : 1;
}

/** Puts `section` under `freshness` in the results file, keeping whatever else it holds. */
export function writeFreshnessSection(file: string, section: FreshnessSection): void {
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        current = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: replaced by the section alone.
    }
  }
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...current, freshness: section }, null, 2)}\n`);
}
