import { BadRequestException } from '@nestjs/common';
import { hanoiDayCount, hanoiDayRange, isSupportedHanoiDay, SUPPORTED_YEARS } from '@backbone/calendar';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Every date a request can carry lies in these years (inclusive). Outside them a date is a typo or an
 * attack: `YYYY-MM-DD` arithmetic past 9999 turns into `+010000-…`, which sorts before `9999-…` and
 * makes a day-by-day loop run forever, and PostgreSQL answers 500 to dates JavaScript accepts.
 */
export const MIN_REQUEST_YEAR = SUPPORTED_YEARS.min;
export const MAX_REQUEST_YEAR = SUPPORTED_YEARS.max;

// RFC 3339 date-time with an explicit offset (Z or ±hh:mm; fractions up to nanoseconds), or a plain
// day (UTC midnight). A time without offset is refused: the server would read it in its own zone.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/** A real calendar day `YYYY-MM-DD` (no 2025-02-30) in the years MIN_REQUEST_YEAR..MAX_REQUEST_YEAR. */
export function isBoundedLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // The calendar's own rule (a real day in its supported years): one definition of a valid day.
  return isSupportedHanoiDay(value);
}

/** An RFC 3339 date-time with an offset (or a plain day), on a real day in the bounded years. */
export function isBoundedInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match || !isSupportedHanoiDay(value.slice(0, 10))) return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  // The offset can move the instant across a year boundary: bound the instant too.
  const year = new Date(time).getUTCFullYear();
  return year >= MIN_REQUEST_YEAR - 1 && year <= MAX_REQUEST_YEAR + 1;
}

/** DTO field: a real day `YYYY-MM-DD` within the bounded years (a 400 otherwise, never a 500). */
export function IsBoundedLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBoundedLocalDate',
      validator: {
        validate: (value: unknown) => isBoundedLocalDate(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a real day YYYY-MM-DD from ${MIN_REQUEST_YEAR} to ${MAX_REQUEST_YEAR}`,
      },
    },
    options,
  );
}

/** DTO field: an ISO-8601 instant with offset (e.g. `2025-07-01T08:00:00Z`) within the bounded years. */
export function IsBoundedInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBoundedInstant',
      validator: {
        validate: (value: unknown) => isBoundedInstant(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date-time with offset (e.g. 2025-07-01T08:00:00Z) from ${MIN_REQUEST_YEAR} to ${MAX_REQUEST_YEAR}`,
      },
    },
    options,
  );
}

/** Whole days from `from` to `to`, both inclusive (both already validated as bounded days). */
export function daysInRange(from: string, to: string): number {
  return hanoiDayCount(from, to);
}

/**
 * For a controller: `from`..`to` in order and at most `maxDays` long, else 400. Call it before any
 * work whose size the range decides (a loop over days, a query over a period).
 */
export function assertBoundedDayRange(from: string, to: string, maxDays: number): void {
  if (!isBoundedLocalDate(from) || !isBoundedLocalDate(to))
    throw new BadRequestException(
      `from and to must be real days YYYY-MM-DD from ${MIN_REQUEST_YEAR} to ${MAX_REQUEST_YEAR}`,
    );
  if (to < from) throw new BadRequestException('to must not be before from');
  if (daysInRange(from, to) > maxDays)
    throw new BadRequestException(`a period may span at most ${maxDays} days`);
}

/** The same for instants: ordered and at most `maxDays` apart. */
export function assertBoundedInstantRange(from: string, to: string, maxDays: number): void {
  if (!isBoundedInstant(from) || !isBoundedInstant(to))
    throw new BadRequestException('from and to must be date-times with offset within the supported years');
  const span = Date.parse(to) - Date.parse(from);
  if (span < 0) throw new BadRequestException('to must not be before from');
  if (span > maxDays * 86_400_000) throw new BadRequestException(`a period may span at most ${maxDays} days`);
}

/**
 * Iterates days `from`..`to` inclusive with a hard bound: a loop driven by request data must end even
 * if a caller skipped the validation above.
 */
export function* boundedDays(from: string, to: string, maxDays: number): Generator<string> {
  if (!isBoundedLocalDate(from) || !isBoundedLocalDate(to)) throw new RangeError('unbounded day range');
  yield* hanoiDayRange(from, to, { maxDays });
}
