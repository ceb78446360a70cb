// Office time for planning historical timelines, on the same working-day calendar the dossier
// service computes due dates with (@backbone/calendar: weekends, public holidays by rule, the
// official days off and swapped working days, 08:00–12:00 and 13:00–17:00 in Hanoi). The demo
// still only needs to land clearly before or clearly after a due date, so its plans keep a margin of
// at least a working day around it: an official decision entered later changes nothing here.
import {
  addDays,
  addWorkingMinutes as addCalendarWorkingMinutes,
  defaultWorkingCalendar,
  dueDateFor,
  fromVietnamLocal,
  isWorkingDay as isCalendarWorkingDay,
  type StatutoryTime,
  toVietnamLocal,
  validateStatutoryTime,
} from '@backbone/calendar';

const CALENDAR = defaultWorkingCalendar('demo');
export const WORKING_MINUTES_PER_DAY = CALENDAR.hoursPerWorkingDay * 60;

export function isWorkingDay(at: Date): boolean {
  return isCalendarWorkingDay(toVietnamLocal(at).date, CALENDAR);
}

/** `minutes` of office time after `from` (from the next opening when `from` is outside office hours). */
export function addWorkingMinutes(from: Date, minutes: number): Date {
  // The plans draw fractional minutes; the calendar counts whole ones.
  return addCalendarWorkingMinutes(from, Math.max(0, Math.round(minutes)), CALENDAR);
}

/** An instant `daysAgo` calendar days before `now`'s Hanoi day, at `minuteOfDay` (Hanoi time). */
export function officeInstant(now: Date, daysAgo: number, minuteOfDay: number): Date {
  return fromVietnamLocal(addDays(toVietnamLocal(now).date, -daysAgo), minuteOfDay);
}

/**
 * The due date as the dossier service computes it (same-day procedures at 17:00, or the next working
 * day's 17:00 after the 15:00 cut-off; others after their statutory working time).
 */
export function approximateDueAt(receivedAt: Date, statutoryTime: { unit: string; value?: number }): Date {
  const time = statutoryTimeOf(statutoryTime);
  if (time) return dueDateFor(receivedAt, time, CALENDAR).dueAt;
  return addWorkingMinutes(receivedAt, statutoryWorkingMinutes(statutoryTime));
}

export function statutoryWorkingMinutes(statutoryTime: { unit: string; value?: number }): number {
  const value = statutoryTime.value ?? 1;
  switch (statutoryTime.unit) {
    case 'same-day':
      return 4 * 60;
    case 'working-hours':
      return value * 60;
    default:
      return value * WORKING_MINUTES_PER_DAY;
  }
}

/** The catalogue's statutory time when it is one the calendar knows; undefined otherwise. */
function statutoryTimeOf(statutoryTime: { unit: string; value?: number }): StatutoryTime | undefined {
  const candidate = (
    statutoryTime.unit === 'same-day'
      ? { unit: 'same-day' }
      : { unit: statutoryTime.unit, value: statutoryTime.value ?? NaN }
  ) as StatutoryTime;
  return validateStatutoryTime(candidate).length === 0 ? candidate : undefined;
}
