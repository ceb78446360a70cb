// Civil dates in Vietnam as 'YYYY-MM-DD' strings. Vietnam has kept UTC+7 without daylight saving
// since 1975, so a fixed offset is exact for every date this service will ever see; we avoid Intl
// time-zone tables on the hot path and keep the arithmetic pure.

/** A civil date in Asia/Ho_Chi_Minh, ISO format 'YYYY-MM-DD'. */
export type LocalDate = string;

export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The years any day arithmetic here will produce. Past 9999 an ISO day turns into '+010000-…' (or
 * '10000-…'), which sorts before '9999-…', so a loop `for (d = from; d <= to; d = next(d))` would
 * never end; refusing days outside these years makes every walk over days end with an error
 * instead. Dossiers, reports and SLAs of a city administration live well inside them.
 */
export const SUPPORTED_YEARS = { min: 2000, max: 2100 } as const;

/** Day numbers (days since 1970-01-01) of 2000-01-01 and 2100-12-31. */
const MIN_EPOCH_DAY = Math.round(Date.UTC(SUPPORTED_YEARS.min, 0, 1) / DAY_MS);
const MAX_EPOCH_DAY = Math.round(Date.UTC(SUPPORTED_YEARS.max, 11, 31) / DAY_MS);

export function isSupportedYear(year: number): boolean {
  return Number.isInteger(year) && year >= SUPPORTED_YEARS.min && year <= SUPPORTED_YEARS.max;
}

/** Throws a RangeError naming the value when its year is outside 2000–2100. */
export function assertSupportedYear(year: number, what: string = String(year)): void {
  if (!isSupportedYear(year))
    throw new RangeError(
      `${what}: year ${year} is outside the supported years ${SUPPORTED_YEARS.min}–${SUPPORTED_YEARS.max}`,
    );
}

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

export function localDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function parseLocalDate(value: LocalDate): { year: number; month: number; day: number } {
  const match = LOCAL_DATE_PATTERN.exec(value);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day)
      return { year, month, day };
  }
  throw new RangeError(`not a civil date (YYYY-MM-DD): ${value}`);
}

/** Days since 1970-01-01 for a civil date (calendar arithmetic, not an instant). */
export function epochDay(value: LocalDate): number {
  const { year, month, day } = parseLocalDate(value);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function fromEpochDay(days: number): LocalDate {
  if (!(days >= MIN_EPOCH_DAY && days <= MAX_EPOCH_DAY)) {
    const year = Number.isFinite(days) ? new Date(days * DAY_MS).getUTCFullYear() : NaN;
    assertSupportedYear(year, `day number ${days}`);
  }
  const date = new Date(days * DAY_MS);
  return localDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function addDays(value: LocalDate, days: number): LocalDate {
  return fromEpochDay(epochDay(value) + days);
}

/** 0 = Sunday … 6 = Saturday, as Date.getUTCDay. */
export function dayOfWeek(value: LocalDate): number {
  return (((epochDay(value) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The civil date and minute-of-day in Vietnam for an instant. */
export function toVietnamLocal(instant: Date): { date: LocalDate; minuteOfDay: number } {
  const shifted = instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * MINUTE_MS;
  const days = Math.floor(shifted / DAY_MS);
  const minuteOfDay = Math.floor((shifted - days * DAY_MS) / MINUTE_MS);
  return { date: fromEpochDay(days), minuteOfDay };
}

/** The instant at a given minute of a Vietnamese civil date. */
export function fromVietnamLocal(date: LocalDate, minuteOfDay: number): Date {
  return new Date(epochDay(date) * DAY_MS + (minuteOfDay - VIETNAM_UTC_OFFSET_MINUTES) * MINUTE_MS);
}

/** 'HH:mm' → minutes after midnight. */
export function parseClock(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`not a clock time (HH:mm): ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatClock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
