/*
 * A quick YES for the commonest shape of timestamp in our events, `YYYY-MM-DDTHH:MM:SS(.f)Z`,
 * that agrees exactly with validator's isISO8601 `{ strict: true, strictSeparator: true }` on it.
 * It never says no: a string of another shape, or with a field out of range, goes to isISO8601
 * itself, which decides. isISO8601 costs about half a microsecond per field (a long regular
 * expression, then for strict a Date built from a concatenated string); events carry several.
 */

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** True only when isISO8601(value, { strict: true, strictSeparator: true }) is certainly true. */
export function isPlainUtcInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = SHAPE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  // Years before 100: Date treats them specially; leave those to isISO8601.
  return day <= lastDay && hour <= 23 && minute <= 59 && second <= 59 && year >= 100;
}
