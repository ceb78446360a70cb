// The one set of Hanoi-day helpers: which civil day (Asia/Ho_Chi_Minh) an instant falls on, where a
// day starts, the next day, and ranges of days. Every service counts days with these, so a report's
// day, a dossier's receipt day and a hotline SLA's day agree. All of them refuse days outside
// SUPPORTED_YEARS (see local-date.ts), so no walk over a range of days can run forever.
import {
  addDays,
  assertSupportedYear,
  epochDay,
  fromEpochDay,
  fromVietnamLocal,
  isLocalDate,
  isSupportedYear,
  LocalDate,
  parseLocalDate,
  SUPPORTED_YEARS,
  VIETNAM_UTC_OFFSET_MINUTES,
} from './local-date';

const OFFSET_MS = VIETNAM_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;
/** The longest range of days a caller can ask for: every day of the supported years. */
const MAX_RANGE_DAYS =
  epochDay(`${SUPPORTED_YEARS.max}-12-31`) - epochDay(`${SUPPORTED_YEARS.min}-01-01`) + 1;

// Folds ask for the day of every event and a batch spans few days: the name of a day is formatted
// once per day number. Bounded so that a replay of years stays small.
const dayNames = new Map<number, LocalDate>();
const MAX_CACHED_DAYS = 4096;

/** The civil day (`YYYY-MM-DD`) in Asia/Ho_Chi_Minh of an instant (a Date, an ISO string or epoch ms). */
export function hanoiDayOf(instant: Date | string | number): LocalDate {
  const millis =
    typeof instant === 'string'
      ? Date.parse(instant)
      : typeof instant === 'number'
        ? instant
        : instant.getTime();
  if (Number.isNaN(millis)) throw new RangeError(`Not a timestamp: ${String(instant)}`);
  const dayNumber = Math.floor((millis + OFFSET_MS) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = fromEpochDay(dayNumber); // refuses years outside 2000–2100
    if (dayNames.size >= MAX_CACHED_DAYS) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

/** The instant (UTC) at which a Hanoi day starts: 17:00Z of the day before. */
export function startOfHanoiDay(day: LocalDate): Date {
  return fromVietnamLocal(supportedDay(day, 'day'), 0);
}

/** The day after `day`. */
export function nextHanoiDay(day: LocalDate): LocalDate {
  return addDays(supportedDay(day, 'day'), 1);
}

/** The day before `day`. */
export function previousHanoiDay(day: LocalDate): LocalDate {
  return addDays(supportedDay(day, 'day'), -1);
}

/** `days` days after `day` (before it when negative). */
export function addHanoiDays(day: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return addDays(supportedDay(day, 'day'), days);
}

/** Number of days from `from` to `to`, both included; 0 when `to` is before `from`. */
export function hanoiDayCount(from: LocalDate, to: LocalDate): number {
  const first = epochDay(supportedDay(from, 'from'));
  return Math.max(0, epochDay(supportedDay(to, 'to')) - first + 1);
}

/**
 * Every day from `from` to `to`, both included (empty when `to` is before `from`). Refuses days
 * outside the supported years, and ranges longer than `maxDays` when given.
 */
export function hanoiDayRange(
  from: LocalDate,
  to: LocalDate,
  options: { maxDays?: number } = {},
): LocalDate[] {
  const count = hanoiDayCount(from, to);
  const maxDays = Math.min(options.maxDays ?? MAX_RANGE_DAYS, MAX_RANGE_DAYS);
  if (count > maxDays) throw new RangeError(`${from}..${to} spans ${count} days, more than ${maxDays}`);
  const first = epochDay(from);
  return Array.from({ length: count }, (_, i) => fromEpochDay(first + i));
}

/**
 * The `days` days ending with the day of `now`, today included (e.g. the city's 15-day report
 * window): `{ from, to }`.
 */
export function hanoiDaysEndingAt(now: Date, days: number): { from: LocalDate; to: LocalDate } {
  if (!Number.isInteger(days) || days < 1)
    throw new RangeError(`days must be a positive integer, got ${days}`);
  const to = hanoiDayOf(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** True for a well-formed `YYYY-MM-DD` inside the supported years: what a request may carry. */
export function isSupportedHanoiDay(value: string): boolean {
  return isLocalDate(value) && isSupportedYear(parseLocalDate(value).year);
}

function supportedDay(day: LocalDate, what: string): LocalDate {
  assertSupportedYear(parseLocalDate(day).year, `${what} ${day}`);
  return day;
}
