import { hanoiDayOf, startOfHanoiDay } from '@backbone/calendar';

/** A fee month `YYYY-MM`. Bounded: 2000-01 … 2100-12, so every loop over months is bounded too. */
export const PERIOD_PATTERN = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/;

export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD_PATTERN.test(value);
}

export function assertPeriod(value: string): void {
  if (!isPeriod(value))
    throw new RangeError(`a period must be YYYY-MM between 2000-01 and 2100-12, got "${value}"`);
}

/** The month `n` months after (negative: before) `period`. */
export function addMonths(period: string, n: number): string {
  assertPeriod(period);
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export function previousPeriod(period: string): string {
  return addMonths(period, -1);
}

/** Months from `from` to `to`, both included; at most `max` (a request may not ask for a century). */
export function periodsBetween(from: string, to: string, max = 120): string[] {
  assertPeriod(from);
  assertPeriod(to);
  if (from > to) return [];
  const periods: string[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) {
    if (periods.length >= max) throw new RangeError(`at most ${max} months at once`);
    periods.push(p);
  }
  return periods;
}

/** The month in Asia/Ho_Chi_Minh (@backbone/calendar) of an instant. */
export function hanoiPeriodOf(instant: Date): string {
  return hanoiDayOf(instant).slice(0, 7);
}

/** The instant range [start, end) of a month in Asia/Ho_Chi_Minh. */
export function hanoiMonthRange(period: string): { start: Date; end: Date } {
  assertPeriod(period);
  return { start: startOfHanoiDay(`${period}-01`), end: startOfHanoiDay(`${addMonths(period, 1)}-01`) };
}
