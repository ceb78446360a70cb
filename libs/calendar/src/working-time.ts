// Working-time arithmetic on instants (Date, UTC) against a working calendar. Minutes are the unit:
// statutory times are whole or half working days (8 h / 4 h) or whole working hours, and pauses are
// measured to the minute.
import { addDays, fromVietnamLocal, LocalDate, parseClock, toVietnamLocal } from './local-date';
import { isWorkingDay, WorkingCalendarRules } from './working-calendar';

const MINUTE_MS = 60_000;
/** A bound on searching for the next working day; no real calendar has a month without one. */
const MAX_DAYS_WITHOUT_WORK = 366;

interface Session {
  start: number;
  end: number;
}

function sessions(rules: WorkingCalendarRules): Session[] {
  return rules.officeHours.map((s) => ({ start: parseClock(s.start), end: parseClock(s.end) }));
}

function nextWorkingDay(after: LocalDate, rules: WorkingCalendarRules): LocalDate {
  let date = addDays(after, 1);
  for (let i = 0; i < MAX_DAYS_WITHOUT_WORK; i += 1, date = addDays(date, 1)) {
    if (isWorkingDay(date, rules)) return date;
  }
  throw new RangeError(`no working day within ${MAX_DAYS_WITHOUT_WORK} days after ${after}`);
}

/** The civil date and sessions of the first working day on or after `date`. */
function workingDayOnOrAfter(date: LocalDate, rules: WorkingCalendarRules): LocalDate {
  return isWorkingDay(date, rules) ? date : nextWorkingDay(date, rules);
}

/**
 * The first instant at or after `at` that is inside office hours on a working day: `at` itself when
 * the office is open, else the next opening. A receipt outside office hours counts from here.
 */
export function nextOfficeOpening(at: Date, rules: WorkingCalendarRules): Date {
  const { date, minuteOfDay } = toVietnamLocal(at);
  if (isWorkingDay(date, rules)) {
    for (const s of sessions(rules)) {
      if (minuteOfDay < s.start) return fromVietnamLocal(date, s.start);
      if (minuteOfDay < s.end) return at;
    }
  }
  const next = nextWorkingDay(date, rules);
  return fromVietnamLocal(next, sessions(rules)[0]!.start);
}

/** The end of the last office session of a working day. */
export function closeOfDay(date: LocalDate, rules: WorkingCalendarRules): Date {
  const all = sessions(rules);
  return fromVietnamLocal(date, all[all.length - 1]!.end);
}

/**
 * The instant when `minutes` working minutes have elapsed after `start`. The result is the end of the
 * last counted minute: a deadline that uses up a whole day falls at 17:00 that day, not at the next
 * opening. Zero minutes returns `start` unchanged; otherwise seconds of `start` are ignored.
 */
export function addWorkingMinutes(start: Date, minutes: number, rules: WorkingCalendarRules): Date {
  if (!Number.isInteger(minutes) || minutes < 0) {
    throw new RangeError(`working minutes must be a non-negative integer, got ${minutes}`);
  }
  if (minutes === 0) return start;
  const daySessions = sessions(rules);
  const minutesPerDay = daySessions.reduce((sum, s) => sum + s.end - s.start, 0);
  let remaining = minutes;
  // Deadlines are kept to the minute: seconds of the start instant are dropped.
  const { date: openingDate, minuteOfDay } = toVietnamLocal(nextOfficeOpening(start, rules));
  let date = openingDate;
  // Finish the current day session by session.
  for (const s of daySessions) {
    if (minuteOfDay >= s.end) continue;
    const from = Math.max(minuteOfDay, s.start);
    const available = s.end - from;
    if (remaining <= available)
      return new Date(fromVietnamLocal(date, from).getTime() + remaining * MINUTE_MS);
    remaining -= available;
  }
  // Whole working days, then the final partial day.
  for (;;) {
    date = nextWorkingDay(date, rules);
    if (remaining > minutesPerDay) {
      remaining -= minutesPerDay;
      continue;
    }
    for (const s of daySessions) {
      const available = s.end - s.start;
      if (remaining <= available)
        return new Date(fromVietnamLocal(date, s.start).getTime() + remaining * MINUTE_MS);
      remaining -= available;
    }
  }
}

export function addWorkingHours(start: Date, hours: number, rules: WorkingCalendarRules): Date {
  const minutes = Math.round(hours * 60);
  if (Math.abs(minutes - hours * 60) > 1e-9)
    throw new RangeError(`hours must be whole minutes, got ${hours}`);
  return addWorkingMinutes(start, minutes, rules);
}

/** Working minutes inside [a, b); zero when b ≤ a. Counts only whole minutes of office time. */
export function workingMinutesBetween(a: Date, b: Date, rules: WorkingCalendarRules): number {
  if (b.getTime() <= a.getTime()) return 0;
  const daySessions = sessions(rules);
  const from = toVietnamLocal(a);
  const to = toVietnamLocal(b);
  let total = 0;
  let date = workingDayOnOrAfter(from.date, rules);
  while (date <= to.date) {
    for (const s of daySessions) {
      const start = date === from.date ? Math.max(s.start, from.minuteOfDay) : s.start;
      const end = date === to.date ? Math.min(s.end, to.minuteOfDay) : s.end;
      if (end > start) total += end - start;
    }
    date = nextWorkingDay(date, rules);
  }
  return total;
}

export { nextWorkingDay };
