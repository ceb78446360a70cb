// The party-fee part of the demo workload (issue 15): registers party members and records fee
// payments through the party-fee service's HTTP API in the city's proportions — 72,000 members
// registered and 42,000 payment transactions in 15 days, against 66,000 dossiers in 13 days — so
// the city summary shows them beside the dossiers. Called by demo-workload.ts after the dossiers.
import { createHmac, randomUUID } from 'node:crypto';
import { ApiClient, ApiError, type RequestStats } from './api-client';
import type { DemoTokens } from './dev-tokens';
import type { SeededRandom } from './seeded-random';

/** Members per dossier: 72,000 members / 66,000 dossiers. */
export const MEMBERS_PER_DOSSIER = 72_000 / 66_000;
/** Payments per dossier: (42,000 payments / 15 days) / (66,000 dossiers / 13 days). */
export const PAYMENTS_PER_DOSSIER = 42_000 / 15 / (66_000 / 13);
/** Members per party cell in the demo (a cell has a few dozen members). */
const MEMBERS_PER_CELL = 25;
/** The portal pays most fees online; treasurers collect the rest in cash. */
const ONLINE_SHARE = 0.7;
/** The development callback key of the party-fee service (PORTAL_CALLBACK_KEY unset); never production's. */
const DEVELOPMENT_PORTAL_CALLBACK_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1wb3J0YWwtY2FsbGJhY2sta2V5IQ==';

const CATEGORIES: readonly [string, number][] = [
  ['official', 40],
  ['armed-forces', 6],
  ['enterprise-employee', 12],
  ['pensioner', 30],
  ['student', 4],
  ['other', 8],
];

export interface PartyFeeWorkloadOptions {
  url: string;
  /** Dossiers the demo filed (history and live): the members and payments follow the city's ratio. */
  dossiers: number;
  units: readonly string[];
  runId: string;
  concurrency: number;
  rng: SeededRandom;
  tokens: DemoTokens;
  stats: RequestStats;
  portalKey?: string;
  /**
   * The city-15-days plan: exactly these members (imported with their registration times through
   * the city admin's audited `POST /members/imports`) and payments (paid at their times, each by
   * the member it names), whatever `dossiers` says.
   */
  plan?: PartyFeePlan;
  /** Planned members per import request (POST /members/imports/batches); 1: one request each. */
  memberBatch?: number;
  /** Batched requests at once. */
  batchConcurrency?: number;
  /** Called after each member and payment (progress output). */
  onProgress?: () => void;
}

export interface PartyFeePlan {
  members: readonly { unitCode: string; at: Date }[];
  payments: readonly { member: number; at: Date }[];
}

export interface PartyFeeTally {
  skipped?: string;
  cells: number;
  members: number;
  assessed: number;
  payments: number;
  online: number;
  cash: number;
  collectedVnd: number;
  errors: Map<string, number>;
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function weighted(rng: SeededRandom, choices: readonly [string, number][]): string {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let roll = rng.next() * total;
  for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
  return choices.at(-1)![0];
}

export async function runPartyFeeWorkload(options: PartyFeeWorkloadOptions): Promise<PartyFeeTally> {
  const tally: PartyFeeTally = {
    cells: 0,
    members: 0,
    assessed: 0,
    payments: 0,
    online: 0,
    cash: 0,
    collectedVnd: 0,
    errors: new Map(),
  };
  const api = new ApiClient(options.url, options.stats);
  try {
    const health = await fetch(`${options.url}/health/live`);
    if (!health.ok) throw new Error(String(health.status));
  } catch {
    tally.skipped = `party-fee service not reachable at ${options.url}`;
    return tally;
  }
  const fail = (error: unknown) => {
    const key =
      error instanceof ApiError ? `party-fee ${error.status}` : `party-fee ${(error as Error).message}`;
    tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
  };
  const plan = options.plan;
  const progress = () => options.onProgress?.();
  const memberCount = plan?.members.length ?? Math.max(1, Math.round(options.dossiers * MEMBERS_PER_DOSSIER));
  const paymentCount =
    plan?.payments.length ?? Math.max(1, Math.round(options.dossiers * PAYMENTS_PER_DOSSIER));
  const cellCount = Math.max(1, Math.ceil(memberCount / MEMBERS_PER_CELL));
  const admin = await options.tokens.cityReader();

  // Cells spread over the units, each with its own account, created by the unit's committee
  // (planned: enough cells in each unit for its members).
  const cells: { id: string; unitCode: string; code: string }[] = [];
  const cellPlans = plan
    ? cellsPerUnit(plan.members).flatMap(([unitCode, n], u) =>
        Array.from({ length: n }, (_, k) => ({ i: u * 10_000 + k, unitCode })),
      )
    : Array.from({ length: cellCount }, (_, i) => ({
        i,
        unitCode: options.units[i % options.units.length]!,
      }));
  await pool(cellPlans, options.concurrency, async ({ i, unitCode }) => {
    try {
      const code = `demo-${options.runId}-${i}`;
      const cell = await api.request<{ id: string }>(
        'POST',
        '/cells',
        await options.tokens.officer(unitCode),
        {
          code,
          name: `Chi bộ demo ${i + 1}`,
          unitCode,
          bankBin: '970436',
          bankAccount: `${Date.now() % 1_000_000}${String(i).padStart(6, '0')}`.slice(0, 19),
        },
        randomUUID(),
      );
      cells.push({ id: cell.body.id, unitCode, code });
      tally.cells += 1;
    } catch (error) {
      fail(error);
    }
  });
  if (cells.length === 0) return tally;

  const members: { id: string; unitCode: string; reference: string; registeredAt?: Date }[] = [];
  const cellsOfUnit = new Map<string, typeof cells>();
  for (const cell of cells) cellsOfUnit.set(cell.unitCode, [...(cellsOfUnit.get(cell.unitCode) ?? []), cell]);
  const memberPlans = Array.from({ length: memberCount }, (_, i) => {
    const planned = plan?.members[i];
    const unitCells = planned ? (cellsOfUnit.get(planned.unitCode) ?? cells) : cells;
    const cell = unitCells[i % unitCells.length]!;
    const category = weighted(options.rng, CATEGORIES);
    const salaried = ['official', 'armed-forces', 'enterprise-employee'].includes(category);
    const basis = salaried
      ? { kind: 'social-insurance-salary', amountVnd: options.rng.int(45, 180) * 100_000 }
      : category === 'pensioner'
        ? { kind: 'pension', amountVnd: options.rng.int(30, 120) * 100_000 }
        : undefined;
    return {
      i,
      cell,
      registeredAt: planned?.at,
      body: {
        cardNumber: `DM${options.runId.slice(0, 6)}${String(i).padStart(7, '0')}`.slice(0, 20),
        name: `Đảng viên demo ${i + 1}`,
        cellId: cell.id,
        category,
        ...(basis ? { basis } : {}),
        pastWorkingAge: category === 'other' && options.rng.chance(0.3),
      },
    };
  });
  // Planned members keep their index (payments name them by it); the demo's are listed as they come.
  const planned: ((typeof members)[number] | undefined)[] = [];
  const memberBatch = options.memberBatch ?? 1;
  if (plan && memberBatch > 1) {
    // Planned registrations in batches (POST /members/imports/batches: all or none, one transaction).
    const batches = Array.from({ length: Math.ceil(memberPlans.length / memberBatch) }, (_, i) =>
      memberPlans.slice(i * memberBatch, (i + 1) * memberBatch),
    );
    await pool(batches, options.batchConcurrency ?? 2, async (batch) => {
      try {
        const imported = await api.request<{ members: { id: string; paymentReference: string }[] }>(
          'POST',
          '/members/imports/batches',
          admin,
          {
            members: batch.map((m) => ({ ...m.body, registeredAt: m.registeredAt!.toISOString() })),
          },
          `demo-${options.runId}-mb${batch[0]!.i}-${batch.length}`,
        );
        imported.body.members.forEach((member, k) => {
          const memberPlan = batch[k]!;
          planned[memberPlan.i] = {
            id: member.id,
            unitCode: memberPlan.cell.unitCode,
            reference: member.paymentReference,
            registeredAt: memberPlan.registeredAt!,
          };
          tally.members += 1;
        });
      } catch (error) {
        for (const _member of batch) fail(error);
      }
      for (const _member of batch) progress();
    });
  } else
    await pool(memberPlans, options.concurrency, async (memberPlan) => {
      try {
        const member = await api.request<{ id: string; paymentReference: string }>(
          'POST',
          memberPlan.registeredAt ? '/members/imports' : '/members',
          memberPlan.registeredAt ? admin : await options.tokens.officer(memberPlan.cell.unitCode),
          memberPlan.registeredAt
            ? { ...memberPlan.body, registeredAt: memberPlan.registeredAt.toISOString() }
            : memberPlan.body,
          randomUUID(),
        );
        const registered = {
          id: member.body.id,
          unitCode: memberPlan.cell.unitCode,
          reference: member.body.paymentReference,
          ...(memberPlan.registeredAt ? { registeredAt: memberPlan.registeredAt } : {}),
        };
        if (plan) planned[memberPlan.i] = registered;
        else members.push(registered);
        tally.members += 1;
      } catch (error) {
        fail(error);
      }
      progress();
    });

  // This month's assessment (run by the city: a second demo run assesses only its new members).
  try {
    const period = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    const run = await api.request<{ created: number }>(
      'POST',
      '/assessment-runs',
      admin,
      { period },
      randomUUID(),
    );
    tally.assessed = run.body.created;
  } catch (error) {
    fail(error);
  }

  // Payments: most through the national portal's signed callback, the rest cash to the treasurer.
  const key = options.portalKey ?? process.env.PORTAL_CALLBACK_KEY ?? DEVELOPMENT_PORTAL_CALLBACK_KEY;
  const portal = await options.tokens.portal();
  if (plan) members.push(...planned.filter((m) => m !== undefined));
  if (members.length === 0) return tally;
  const paymentPlans = Array.from({ length: paymentCount }, (_, i) => {
    const payment = plan?.payments[i];
    // A planned payment is made by its member (if registered), after the registration.
    const payer = payment
      ? (planned[payment.member] ?? members[i % members.length]!)
      : members[i % members.length]!;
    const paidAt = payment
      ? new Date(Math.max(payment.at.getTime(), (payer.registeredAt?.getTime() ?? 0) + 60_000))
      : undefined;
    return {
      member: payer,
      online: options.rng.chance(ONLINE_SHARE),
      amountVnd: options.rng.int(1, 30) * 5_000,
      i,
      paidAt,
    };
  });
  await pool(paymentPlans, options.concurrency, async (plan) => {
    try {
      if (plan.online) {
        const fields = {
          transactionId: `DVCQG-${options.runId}-${plan.i}`,
          reference: plan.member.reference,
          amountVnd: plan.amountVnd,
          paidAt: (plan.paidAt ?? new Date()).toISOString(),
        };
        const signing = (Object.keys(fields) as (keyof typeof fields)[])
          .sort()
          .map((name) => `${name}=${String(fields[name])}`)
          .join('&');
        const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(signing).digest('hex');
        await api.request(
          'POST',
          '/payments/portal-callbacks',
          portal,
          { ...fields, signature },
          randomUUID(),
        );
        tally.online += 1;
      } else {
        await api.request(
          'POST',
          '/payments/cash',
          await options.tokens.officer(plan.member.unitCode),
          {
            memberId: plan.member.id,
            amountVnd: plan.amountVnd,
            ...(plan.paidAt ? { paidAt: plan.paidAt.toISOString() } : {}),
          },
          randomUUID(),
        );
        tally.cash += 1;
      }
      tally.payments += 1;
      tally.collectedVnd += plan.amountVnd;
    } catch (error) {
      fail(error);
    }
    progress();
  });
  return tally;
}

/** Cells each unit needs for its planned members (a few dozen members a cell), units in first-seen order. */
function cellsPerUnit(members: PartyFeePlan['members']): [string, number][] {
  const counts = new Map<string, number>();
  for (const member of members) counts.set(member.unitCode, (counts.get(member.unitCode) ?? 0) + 1);
  return [...counts].map(([unitCode, n]) => [unitCode, Math.ceil(n / MEMBERS_PER_CELL)]);
}

export function formatPartyFeeTally(tally: PartyFeeTally): string {
  if (tally.skipped) return `  party fees: skipped (${tally.skipped})`;
  const errors = [...tally.errors].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return (
    `  party fees: ${tally.members} members registered in ${tally.cells} cells, ${tally.assessed} assessed this month, ` +
    `${tally.payments} payments (${tally.online} portal, ${tally.cash} cash), ${tally.collectedVnd.toLocaleString('en')} VND; errors: ${errors}`
  );
}
