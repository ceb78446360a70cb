// Due dates of dossiers: statutory time counted in working time from receipt (Decree 118/2025/NĐ-CP),
// with the 15:00 cut-off for same-day procedures and pauses while a supplement is awaited.
import { parseClock, toVietnamLocal } from './local-date';
import { WorkingCalendarRules } from './working-calendar';
import {
  addWorkingMinutes,
  closeOfDay,
  nextOfficeOpening,
  nextWorkingDay,
  workingMinutesBetween,
} from './working-time';

/**
 * The statutory time of a procedure as the catalogue states it: working days (possibly 0.5),
 * working hours, or "trong ngày" (resolved the day it is received).
 */
export type StatutoryTime =
  { unit: 'working-days'; value: number } | { unit: 'working-hours'; value: number } | { unit: 'same-day' };

export function validateStatutoryTime(time: StatutoryTime): string[] {
  switch (time.unit) {
    case 'working-days':
      return Number.isFinite(time.value) && time.value > 0 && Number.isInteger(time.value * 2)
        ? []
        : [`working days must be a positive multiple of 0.5, got ${time.value}`];
    case 'working-hours':
      return Number.isInteger(time.value) && time.value > 0
        ? []
        : [`working hours must be a positive integer, got ${time.value}`];
    case 'same-day':
      return [];
    default:
      return [`unknown statutory time unit: ${String((time as { unit: unknown }).unit)}`];
  }
}

/**
 * Statutory time in working hours, as published in `dossier.received.v1`. A same-day procedure is
 * reported as one working day (its longest possible span before the cut-off moves it).
 */
export function statutoryWorkingHours(time: StatutoryTime, rules: WorkingCalendarRules): number {
  switch (time.unit) {
    case 'working-days':
      return time.value * rules.hoursPerWorkingDay;
    case 'working-hours':
      return time.value;
    case 'same-day':
      return rules.hoursPerWorkingDay;
  }
}

export interface DueDate {
  /** When the clock starts: receipt, or the next office opening if received outside office hours. */
  countingFrom: Date;
  dueAt: Date;
}

/**
 * The due date of a dossier received at `receivedAt` for a procedure with statutory time `time`.
 *
 * - Working days/hours: N working days = N × hoursPerWorkingDay working hours, counted from receipt
 *   (or from the next opening when received outside office hours), so a 3-day procedure received
 *   Monday 10:00 is due Thursday 10:00.
 * - Same day: due at the close of the day of receipt; if received after the cut-off (15:00), at the
 *   close of the next working day. A receipt outside office hours counts from the next opening, so
 *   one at 07:00 or 12:30 is still due the same day, and one at 18:00 or on a Sunday is due at the
 *   close of the next working day.
 */
export function dueDateFor(receivedAt: Date, time: StatutoryTime, rules: WorkingCalendarRules): DueDate {
  const problems = validateStatutoryTime(time);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const countingFrom = nextOfficeOpening(receivedAt, rules);
  if (time.unit === 'same-day') {
    const opening = toVietnamLocal(countingFrom);
    const cutoff = parseClock(rules.sameDayCutoff);
    const sameCivilDay = opening.date === toVietnamLocal(receivedAt).date;
    // Only a receipt during office hours can be "after the cut-off"; one outside office hours
    // already counts from the next opening, which is before the cut-off.
    const afterCutoff = sameCivilDay && isAfterCutoff(receivedAt, cutoff);
    const dueDay = afterCutoff ? nextWorkingDay(opening.date, rules) : opening.date;
    return { countingFrom, dueAt: closeOfDay(dueDay, rules) };
  }
  const minutes = Math.round(statutoryWorkingHours(time, rules) * 60);
  return { countingFrom, dueAt: addWorkingMinutes(countingFrom, minutes, rules) };
}

/** Strictly after hh:mm:00 local time: 15:00:00 is on time, 15:00:01 is late. */
function isAfterCutoff(at: Date, cutoffMinute: number): boolean {
  const { minuteOfDay } = toVietnamLocal(at);
  if (minuteOfDay > cutoffMinute) return true;
  return minuteOfDay === cutoffMinute && at.getTime() % 60_000 !== 0;
}

export interface PauseOutcome {
  pausedWorkingMinutes: number;
  newDueAt: Date;
}

/**
 * A supplement request (form 02) stops the clock at `pausedAt`; when the supplement arrives at
 * `resumedAt`, the due date moves later by the working time that passed in between. Time outside
 * office hours does not count, so a request Friday 16:00 answered Monday 09:00 moves the due date
 * by 2 working hours.
 */
export function resumeAfterPause(
  dueAt: Date,
  pausedAt: Date,
  resumedAt: Date,
  rules: WorkingCalendarRules,
): PauseOutcome {
  if (resumedAt.getTime() < pausedAt.getTime()) throw new RangeError('a pause cannot end before it starts');
  const pausedWorkingMinutes = workingMinutesBetween(pausedAt, resumedAt, rules);
  return { pausedWorkingMinutes, newDueAt: addWorkingMinutes(dueAt, pausedWorkingMinutes, rules) };
}
