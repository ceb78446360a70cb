// The plan of `npm run simulate -- --city-15-days` (issue 17): the city's first 15 days of the
// two-tier model, as the city reported them, scaled by --scale, dealt over the days, the units and
// the channels so that every count adds up exactly to its target. Pure: a seed in, a plan out; the
// runner (city-15-days.ts) carries it out through the services' APIs.
import { addHanoiDays, hanoiDaysEndingAt, startOfHanoiDay } from '@backbone/calendar';
import { SeededRandom } from './seeded-random';
import { DESK_CHANNELS, type DemoChannel } from './workload-mix';
import { isWorkingDay } from './working-hours';

/** What the city reported after its first 15 days (field guide §1), the simulation's targets at scale 1. */
export const ARTICLE_FIGURES = {
  /** Dossiers received in the first 13 days. */
  dossiersReceived: 66_000,
  shareOnline: 0.14,
  publicServiceAgents: 500,
  hotlineCalls: 1_800,
  appReports: 3_500,
  newAppAccounts: 1_700,
  partyMembersRegistered: 72_000,
  partyFeeTransactions: 42_000,
} as const;

export const PERIOD_DAYS = 15;
/** Dossiers came in over the last 13 of the 15 days (the report's "66,000 dossiers in 13 days"). */
export const DOSSIER_DAYS = 13;
/** The wards kept desks open at weekends in the first weeks, with fewer visitors. */
const SATURDAY_WEIGHT = 0.5;
const SUNDAY_OR_HOLIDAY_WEIGHT = 0.25;
/** Party members registered in a campaign: most early on; payments follow later. */
const MEMBER_DAY_WEIGHT = (day: number) => PERIOD_DAYS + 5 - day;
const PAYMENT_DAY_WEIGHT = (day: number) => 3 + day;

export interface Targets {
  dossiers: number;
  online: number;
  agents: number;
  hotlineCalls: number;
  appReports: number;
  newAppAccounts: number;
  partyMembers: number;
  partyFeeTransactions: number;
}

/** The article's figures at `scale`, rounded to whole records (at least one of each). */
export function targetsAt(scale: number): Targets {
  if (!(scale > 0 && scale <= 1)) throw new RangeError('--scale must be in (0, 1]');
  const n = (value: number) => Math.max(1, Math.round(value * scale));
  const dossiers = n(ARTICLE_FIGURES.dossiersReceived);
  return {
    dossiers,
    online: Math.round(dossiers * ARTICLE_FIGURES.shareOnline),
    agents: n(ARTICLE_FIGURES.publicServiceAgents),
    hotlineCalls: n(ARTICLE_FIGURES.hotlineCalls),
    appReports: n(ARTICLE_FIGURES.appReports),
    newAppAccounts: n(ARTICLE_FIGURES.newAppAccounts),
    partyMembers: n(ARTICLE_FIGURES.partyMembersRegistered),
    partyFeeTransactions: n(ARTICLE_FIGURES.partyFeeTransactions),
  };
}

/**
 * Deals `total` over `weights` in proportion (largest remainder, ties to the lower index): whole
 * numbers that add up to `total` exactly.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError('total must be a whole number ≥ 0');
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0 || !(sum > 0) || weights.some((w) => w < 0))
    throw new RangeError('weights must be ≥ 0 and add up to more than 0');
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    counts[i]! += 1;
    left -= 1;
  }
  return counts;
}

/** `counts[i]` copies of `values[i]`, shuffled: every value exactly as often as dealt. */
function deal<T>(rng: SeededRandom, values: readonly T[], counts: readonly number[]): T[] {
  return rng.shuffle(values.flatMap((value, i) => Array.from({ length: counts[i]! }, () => value)));
}

/** One record of the plan: its day of the period (0 = the first, 14 = today) and its unit. */
export interface Slot {
  day: number;
  unitCode: string;
}
export interface DossierSlot extends Slot {
  channel: DemoChannel;
  /** The public-service agent who filed it for the citizen (agent channel only). */
  agent?: number;
}
export interface PaymentSlot extends Slot {
  /** Index into `members`: who pays (registered on the payment's day or before, same unit). */
  member: number;
}

export interface CityPlan {
  seed: number;
  scale: number;
  targets: Targets;
  /** The report's window: 15 Hanoi days ending today. */
  period: { from: string; to: string };
  /** The Hanoi date of each day of the period. */
  days: string[];
  dossiers: DossierSlot[];
  calls: Slot[];
  appReports: Slot[];
  appAccounts: Slot[];
  members: Slot[];
  payments: PaymentSlot[];
}

/** A day's weight for dossiers: working days full, weekends and holidays fewer. */
function dossierDayWeight(date: string): number {
  const noon = new Date(`${date}T05:00:00Z`); // 12:00 in Hanoi
  if (isWorkingDay(noon)) return 1;
  return noon.getUTCDay() === 6 ? SATURDAY_WEIGHT : SUNDAY_OR_HOLIDAY_WEIGHT;
}

/**
 * The plan of the city's 15 days at `scale`: dossiers over the last 13 days (today's filed live,
 * the earlier ones imported with their times), the hotline's calls, app reports and accounts, the
 * party's members and payments over all 15, dealt over the units with seeded weights (some wards
 * are busier) so that the counts per day, per unit and per channel add up exactly to the targets.
 */
export function planCity15Days(options: {
  seed: number;
  scale: number;
  units: readonly string[];
  now: Date;
}): CityPlan {
  const { seed, scale, units, now } = options;
  if (units.length === 0) throw new RangeError('no units');
  const rng = new SeededRandom(seed ^ 0x15da7);
  const targets = targetsAt(scale);
  const period = hanoiDaysEndingAt(now, PERIOD_DAYS);
  const days = Array.from({ length: PERIOD_DAYS }, (_, i) => addHanoiDays(period.from, i));
  const dayIndexes = days.map((_, i) => i);
  const unitWeights = units.map(() => rng.between(0.5, 1.5));

  const slots = (total: number, dayWeights: readonly number[]): Slot[] => {
    const dealtDays = deal(rng, dayIndexes, apportion(total, dayWeights));
    const dealtUnits = deal(rng, units, apportion(total, unitWeights));
    return dealtDays.map((day, i) => ({ day, unitCode: dealtUnits[i]! }));
  };

  // Dossiers: the channel mix of received dossiers (online 14 %, the rest at the desks).
  const dossierDayWeights = days.map((date, i) =>
    i < PERIOD_DAYS - DOSSIER_DAYS ? 0 : dossierDayWeight(date),
  );
  const desk = apportion(
    targets.dossiers - targets.online,
    DESK_CHANNELS.map(([, share]) => share),
  );
  const channels = deal<DemoChannel>(
    rng,
    ['online', ...DESK_CHANNELS.map(([channel]) => channel)],
    [targets.online, ...desk],
  );
  const agentDossiers = channels.filter((c) => c === 'agent').length;
  const agents = deal(
    rng,
    Array.from({ length: targets.agents }, (_, i) => i),
    apportion(
      agentDossiers,
      Array.from({ length: targets.agents }, () => 1),
    ),
  );
  const dossiers = slots(targets.dossiers, dossierDayWeights).map((slot, i): DossierSlot => ({
    ...slot,
    channel: channels[i]!,
    ...(channels[i] === 'agent' ? { agent: agents.pop()! } : {}),
  }));

  const even = days.map((date) => 0.6 + 0.4 * dossierDayWeight(date));
  const calls = slots(targets.hotlineCalls, even);
  const appReports = slots(targets.appReports, even);
  const appAccounts = slots(targets.newAppAccounts, even);
  const members = slots(targets.partyMembers, dayIndexes.map(MEMBER_DAY_WEIGHT)).sort(
    (a, b) => a.day - b.day,
  );

  // A payment is made by a member registered by then: the earliest members are dealt to the
  // earliest payments' days, so no payment precedes its payer's registration.
  const paymentDays = apportion(targets.partyFeeTransactions, dayIndexes.map(PAYMENT_DAY_WEIGHT));
  const payments: PaymentSlot[] = [];
  for (const day of dayIndexes) {
    const registered = upperBound(members, day);
    for (let k = 0; k < paymentDays[day]!; k += 1) {
      const member = registered > 0 ? rng.int(0, registered - 1) : 0;
      payments.push({
        day: Math.max(day, members[member]!.day),
        unitCode: members[member]!.unitCode,
        member,
      });
    }
  }
  return { seed, scale, targets, period, days, dossiers, calls, appReports, appAccounts, members, payments };
}

/** How many of the day-sorted `slots` fall on `day` or before. */
function upperBound(slots: readonly Slot[], day: number): number {
  let low = 0;
  let high = slots.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (slots[mid]!.day <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * An instant on `day` of the plan (`fraction` of the way through its business hours, 07:30–20:30
 * Hanoi), never later than a minute before `now`: today's records all lie in the past.
 */
export function instantOn(plan: CityPlan, day: number, fraction: number, now: Date): Date {
  const start = startOfHanoiDay(plan.days[day]!).getTime();
  const open = start + 7.5 * 3_600_000;
  const close = start + 20.5 * 3_600_000;
  const latest = Math.min(close, now.getTime() - 60_000);
  // Early on today, before the offices open: the hours since midnight.
  const earliest = latest > open ? open : start;
  return new Date(Math.floor(earliest + fraction * Math.max(0, latest - earliest)));
}

/** Counts of `items` by `key`: what the plan's tests and the runner's summary read. */
export function countBy<T>(
  items: readonly T[],
  key: (item: T) => string | number,
): Map<string | number, number> {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
