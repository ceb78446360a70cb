// The hotline part of the demo workload (issue 14): calls to 1022 from the PBX, iHanoi accounts and
// citizen reports from every channel across the 126 units, in the city's proportions to dossiers —
// in its first 15 days ~1,800 calls, 3,500+ app reports and 1,700 new accounts against 66,000
// dossiers in 13 days — then the responsible units accept, work, answer, and citizens rate. A
// client of the hotline service's HTTP API only (like the rest of the simulator).
import { createHash } from 'node:crypto';
import { ApiClient, type RequestStats } from './api-client';
import type { DemoTokens } from './dev-tokens';
import type { SeededRandom } from './seeded-random';

/** Per dossier, from the city's figures: dossiers 66,000 / 13 days; the hotline's over 15 days. */
const DOSSIERS_PER_DAY = 66_000 / 13;
export const HOTLINE_PER_DOSSIER = {
  calls: 1_800 / 15 / DOSSIERS_PER_DAY,
  appReports: 3_500 / 15 / DOSSIERS_PER_DAY,
  appAccounts: 1_700 / 15 / DOSSIERS_PER_DAY,
} as const;

/** Reports from the web portal, e-mail and Zalo, per iHanoi report (the app carries most). */
const OTHER_CHANNELS: readonly (readonly [string, number])[] = [
  ['web', 0.08],
  ['email', 0.04],
  ['zalo', 0.1],
];

const CATEGORIES: readonly (readonly [string, number])[] = [
  ['urban-order.sidewalk-encroachment', 18],
  ['urban-order', 7],
  ['environment.waste', 14],
  ['environment.noise', 8],
  ['traffic.road-damage', 10],
  ['traffic', 5],
  ['construction', 10],
  ['security', 5],
  ['administrative-procedures', 12],
  ['utilities', 8],
  ['other', 3],
];
const LEVELS: readonly (readonly ['urgent' | 'complex' | 'normal', number])[] = [
  ['urgent', 5],
  ['complex', 15],
  ['normal', 80],
];
const STREETS = [
  'Trần Phú',
  'Lê Lợi',
  'Nguyễn Trãi',
  'Quang Trung',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Hoàng Hoa Thám',
];

export interface HotlineUnit {
  code: string;
  name: string;
  type: string;
}

/** A planned record (city-15-days-plan.ts): when it happened and in which unit. */
export interface PlannedRecord {
  at: Date;
  unitCode: string;
}

/** Exact calls, app reports and accounts with their times, instead of proportions to dossiers. */
export interface HotlinePlan {
  calls: readonly PlannedRecord[];
  appReports: readonly PlannedRecord[];
  appAccounts: readonly PlannedRecord[];
}

export interface HotlineWorkloadOptions {
  /** Dossiers the run files (live + history): the hotline's volume follows from it. */
  dossiers: number;
  /** The city-15-days plan: these counts and times, whatever `dossiers` says. */
  plan?: HotlinePlan;
  /** Called after each call, report or account (progress output). */
  onProgress?: () => void;
  runId: string;
  now: Date;
  /** How far back calls, reports and accounts are spread (days), like the dossier backlog. */
  days: number;
  concurrency: number;
}

export interface HotlineTally {
  calls: number;
  inquiriesAnswered: number;
  reportsFromCalls: number;
  reports: Map<string, number>;
  /** New accounts; a phone already registered is answered with its account and counted apart. */
  accounts: number;
  accountsAlreadyRegistered: number;
  steps: Map<string, number>;
  errors: Map<string, number>;
}

/** The `i`-th phone number of a run: consecutive from a start drawn from the run id, so none repeats within it. */
export function runPhone(runId: string, i: number): string {
  const start = Number.parseInt(createHash('sha256').update(runId).digest('hex').slice(0, 12), 16);
  return `09${String((start + i) % 100_000_000).padStart(8, '0')}`;
}

/** The unit's name as an address line names it: "Phường Ba Đình", "Xã Phúc Thịnh". */
function addressName(unit: HotlineUnit): string {
  if (/^(Phường|Xã)\s/.test(unit.name)) return unit.name;
  return `${unit.type === 'ward' ? 'Phường' : 'Xã'} ${unit.name}`;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        await work(item);
      }
    }),
  );
}

/**
 * Runs the hotline workload against the hotline service. Returns what it did; errors are counted
 * (by step and status), not thrown, so the rest of the demo goes on.
 */
export async function runHotlineWorkload(
  hotline: ApiClient,
  tokens: DemoTokens,
  rng: SeededRandom,
  units: readonly HotlineUnit[],
  options: HotlineWorkloadOptions,
): Promise<HotlineTally> {
  const tally: HotlineTally = {
    calls: 0,
    inquiriesAnswered: 0,
    reportsFromCalls: 0,
    reports: new Map(),
    accounts: 0,
    accountsAlreadyRegistered: 0,
    steps: new Map(),
    errors: new Map(),
  };
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const failed = (step: string, error: unknown) => {
    const status = (error as { status?: number }).status;
    count(
      tally.errors,
      `${step}${status ? ` ${status}` : ''}: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`,
    );
  };
  const round = (x: number) => Math.max(1, Math.round(x));
  const plan = options.plan;
  const nCalls = plan?.calls.length ?? round(options.dossiers * HOTLINE_PER_DOSSIER.calls);
  const nAppReports = plan?.appReports.length ?? round(options.dossiers * HOTLINE_PER_DOSSIER.appReports);
  const nAccounts = plan?.appAccounts.length ?? round(options.dossiers * HOTLINE_PER_DOSSIER.appAccounts);
  const spanMs = options.days * 24 * 3600_000;
  const past = () => new Date(options.now.getTime() - rng.between(0, spanMs));
  const unitByCode = new Map(units.map((unit) => [unit.code, unit]));
  const planned = (records: readonly PlannedRecord[] | undefined, i: number) => {
    const record = records?.[i];
    return record ? { at: record.at, unit: unitByCode.get(record.unitCode) } : undefined;
  };
  const progress = () => options.onProgress?.();
  const app = await tokens.hotlineChannel('ihanoi');
  const key = (step: string, i: number) => `hotline-${options.runId}-${step}-${i}`;

  // iHanoi accounts, registered over the period.
  const accountIds: string[] = [];
  await pool(
    Array.from({ length: nAccounts }, (_, i) => i),
    options.concurrency,
    async (i) => {
      const fixed = planned(plan?.appAccounts, i);
      try {
        const home = fixed ? fixed.unit?.code : rng.chance(0.7) ? rng.pick(units).code : undefined;
        const { body } = await hotline.request<{ accountId: string; alreadyRegistered?: boolean }>(
          'POST',
          '/app-accounts',
          app,
          {
            // Planned: a phone of this run's own (another run with the same seed registers new people).
            phone: plan ? runPhone(options.runId, i) : `09${rng.digits(8)}`,
            ...(home ? { homeUnitCode: home } : {}),
            registeredAt: (fixed?.at ?? past()).toISOString(),
          },
          key('account', i),
        );
        accountIds.push(body.accountId);
        if (body.alreadyRegistered) tally.accountsAlreadyRegistered += 1;
        else tally.accounts += 1;
      } catch (error) {
        failed('register account', error);
      }
      progress();
    },
  );

  const reportBody = (channel: string, i: number, inUnit?: HotlineUnit) => {
    const unit = inUnit ?? rng.pick(units);
    const withPoint = rng.chance(0.3);
    return {
      channel,
      categoryCode: rng.weighted(CATEGORIES),
      level: rng.weighted(LEVELS),
      description: `Phản ánh thử nghiệm ${options.runId}-${i}`,
      location: {
        address: `Số ${rng.int(1, 400)} ${rng.pick(STREETS)}, ${addressName(unit)}, Hà Nội`,
        // No boundary file in the demo: a point inside Hanoi's extent, the address decides the unit.
        ...(withPoint ? { lat: 20.9 + rng.between(0, 0.2), long: 105.7 + rng.between(0, 0.2) } : {}),
      },
      reporter: {
        phone: `09${rng.digits(8)}`,
        ...(channel === 'ihanoi' && accountIds.length > 0 ? { appAccountId: rng.pick(accountIds) } : {}),
      },
      media: rng.chance(0.6)
        ? [
            {
              name: `anh-${i}.jpg`,
              type: 'image/jpeg',
              sizeBytes: rng.int(80_000, 3_000_000),
              sha256: rng.hex(64),
            },
          ]
        : [],
    };
  };

  // Reports from the app and the other channels, dated over the period by their gateway.
  const reportPlans: { channel: string; i: number }[] = [];
  for (let i = 0; i < nAppReports; i += 1) {
    reportPlans.push({ channel: 'ihanoi', i });
    for (const [channel, share] of OTHER_CHANNELS) if (rng.chance(share)) reportPlans.push({ channel, i });
  }
  const created: { id: string; unitCode: string; status: string }[] = [];
  await pool(reportPlans, options.concurrency, async ({ channel, i }) => {
    // Planned: the app's report on its day and in its unit, the other channels' beside it.
    const fixed = planned(plan?.appReports, i);
    try {
      const { body } = await hotline.request<{ id: string; unitCode: string; status: string }>(
        'POST',
        '/reports',
        await tokens.hotlineChannel(channel),
        // Most arrived over the period (the gateway dates them); the rest arrive now.
        fixed
          ? { ...reportBody(channel, i, fixed.unit), submittedAt: fixed.at.toISOString() }
          : { ...reportBody(channel, i), ...(rng.chance(0.6) ? { submittedAt: past().toISOString() } : {}) },
        key(`report-${channel}`, i),
      );
      count(tally.reports, channel);
      created.push(body);
    } catch (error) {
      failed(`report ${channel}`, error);
    }
    if (channel === 'ihanoi') progress();
  });

  // Calls to 1022: the PBX posts start and end; the agent answers an inquiry or files a report.
  await pool(
    Array.from({ length: nCalls }, (_, i) => i),
    options.concurrency,
    async (i) => {
      const agent = await tokens.hotlineAgent(i % 12);
      const fixed = planned(plan?.calls, i);
      const start = fixed?.at ?? past();
      const abandoned = rng.chance(0.12);
      const duration = abandoned ? rng.int(5, 40) : rng.int(60, 600);
      try {
        const caller = `09${rng.digits(8)}`;
        const uniqueId = `demo-${options.runId}-${i}`;
        const started = await hotline.request<{ call: { id: string } }>(
          'POST',
          '/pbx/call-events',
          await tokens.hotlineChannel('pbx'),
          { event: 'started', uniqueId, callerNumber: caller, startedAt: start.toISOString() },
          key('call-start', i),
        );
        tally.calls += 1;
        const callId = started.body.call.id;
        if (!abandoned) {
          if (rng.chance(0.35)) {
            // Unplanned (the demo): the address and the unit drawn apart, as before.
            const body = reportBody('1022', i, fixed?.unit);
            const unit = fixed?.unit ?? rng.pick(units);
            const report = await hotline.request<{ id: string; unitCode: string; status: string }>(
              'POST',
              `/calls/${callId}/reports`,
              agent,
              { ...body, unitCode: unit.code },
              key('call-report', i),
            );
            created.push(report.body);
            tally.reportsFromCalls += 1;
          } else {
            await hotline.request(
              'POST',
              `/calls/${callId}/inquiry-answer`,
              agent,
              { category: 'administrative-procedures', answer: 'Hướng dẫn thủ tục qua Cổng dịch vụ công.' },
              key('call-inquiry', i),
            );
            tally.inquiriesAnswered += 1;
          }
        }
        await hotline.request(
          'POST',
          '/pbx/call-events',
          await tokens.hotlineChannel('pbx'),
          {
            event: 'ended',
            uniqueId,
            callerNumber: caller,
            startedAt: start.toISOString(),
            ...(abandoned ? {} : { answeredAt: new Date(start.getTime() + 15_000).toISOString() }),
            endedAt: new Date(start.getTime() + duration * 1000).toISOString(),
            durationSeconds: duration,
            disposition: abandoned ? 'abandoned' : 'answered',
            queue: 'hotline1022',
            agent: `agent-${1000 + (i % 12)}`,
          },
          key('call-end', i),
        );
      } catch (error) {
        failed('call', error);
      }
      progress();
    },
  );

  // The units work their reports: most accepted, some rejected or transferred, most answered and rated.
  const toWork = created.filter((report) => report.status === 'received' && /^\d{5}$/.test(report.unitCode));
  await pool(toWork, options.concurrency, async (report) => {
    const officer = await tokens.officer(report.unitCode);
    const step = async (path: string, body: unknown, token = officer) => {
      await hotline.request(
        'POST',
        `/reports/${report.id}/${path}`,
        token,
        body,
        key(`${path}-${report.id}`, 0),
      );
      count(tally.steps, path);
    };
    try {
      const fate = rng.next();
      if (fate < 0.05)
        return await step('reject', { reason: rng.pick(['out-of-scope', 'unclear', 'formal-complaint']) });
      if (fate < 0.15) return; // still waiting for acceptance
      await step('accept', {});
      await step('assign', { assignee: `officer-${report.unitCode}` });
      await step('start', {});
      if (rng.chance(0.25)) return; // still in progress
      await step('answer', { answer: 'Đơn vị đã kiểm tra và xử lý.' });
      if (rng.chance(0.2)) return; // not rated
      await step(
        'rating',
        {
          rating: rng.weighted([
            [5, 55],
            [4, 25],
            [3, 10],
            [2, 6],
            [1, 4],
          ] as const),
        },
        app,
      );
    } catch (error) {
      failed('work report', error);
    }
  });
  return tally;
}

export function formatHotlineTally(tally: HotlineTally): string {
  const list = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    `Hotline: ${tally.calls} calls (${tally.inquiriesAnswered} inquiries answered, ${tally.reportsFromCalls} reports from calls), ` +
      `${tally.accounts} app accounts${tally.accountsAlreadyRegistered > 0 ? ` (${tally.accountsAlreadyRegistered} phones already registered)` : ''}`,
    `  reports by channel: ${list(tally.reports)}`,
    `  steps: ${list(tally.steps)}`,
    `  errors: ${list(tally.errors)}`,
  ].join('\n');
}

/**
 * The demo's hook (demo-workload.ts): reads the wards and communes from the dossier service, runs
 * the hotline workload for `dossiers` dossiers' worth of city activity and prints what it did.
 * Skipped, with a line saying so, when the hotline service does not answer.
 */
export async function runHotlineDemo(
  options: { dossierUrl: string; hotlineUrl: string; dossiers: number; concurrency: number },
  run: {
    tokens: DemoTokens;
    rng: SeededRandom;
    now: Date;
    runId: string;
    stats: RequestStats;
    abort: AbortController;
    out: (line?: string) => void;
  },
): Promise<void> {
  const url = options.hotlineUrl;
  const up = await fetch(`${url}/health/live`).then(
    (response) => response.ok,
    () => false,
  );
  if (!up) return run.out(`  hotline service not reachable at ${url}: no calls or citizen reports.`);
  const dossierApi = new ApiClient(options.dossierUrl, run.stats, { signal: run.abort.signal });
  const units = (
    await dossierApi.request<HotlineUnit[]>('GET', '/units', await run.tokens.cityReader())
  ).body.filter((unit) => unit.type === 'ward' || unit.type === 'commune');
  const t0 = performance.now();
  const tally = await runHotlineWorkload(
    new ApiClient(url, run.stats, { signal: run.abort.signal }),
    run.tokens,
    run.rng,
    units,
    {
      dossiers: options.dossiers,
      runId: run.runId,
      now: run.now,
      days: 14,
      concurrency: options.concurrency,
    },
  );
  run.out(`${formatHotlineTally(tally)}\n  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
