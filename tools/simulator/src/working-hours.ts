// A deliberately simple model of Hanoi office time for planning historical timelines: Monday to
// Friday, 08:00–12:00 and 13:00–17:00 (UTC+7), no holidays. The dossier service computes the real
// due dates with its own calendar; the demo only needs to land clearly before or clearly after them,
// so its plans keep a margin of at least a working day around the approximate due date.

const MINUTE = 60_000;
const OFFSET = 7 * 60 * MINUTE;
const SESSIONS = [
  [8 * 60, 12 * 60],
  [13 * 60, 17 * 60],
] as const;
export const WORKING_MINUTES_PER_DAY = 8 * 60;

/** Local (UTC+7) midnight of the instant's civil day, as a UTC instant, and the minute of that day. */
function local(at: Date): { dayStart: number; minute: number; weekday: number } {
  const shifted = at.getTime() + OFFSET;
  const dayIndex = Math.floor(shifted / 86_400_000);
  return {
    dayStart: dayIndex * 86_400_000 - OFFSET,
    minute: Math.floor((shifted - dayIndex * 86_400_000) / MINUTE),
    weekday: new Date(dayIndex * 86_400_000).getUTCDay(),
  };
}

export function isWorkingDay(at: Date): boolean {
  const { weekday } = local(at);
  return weekday !== 0 && weekday !== 6;
}

/** `minutes` of office time after `from` (from the next opening when `from` is outside office hours). */
export function addWorkingMinutes(from: Date, minutes: number): Date {
  let remaining = Math.max(0, minutes);
  let cursor = from.getTime();
  for (let guard = 0; guard < 10_000; guard += 1) {
    const { dayStart, minute, weekday } = local(new Date(cursor));
    if (weekday !== 0 && weekday !== 6) {
      for (const [start, end] of SESSIONS) {
        if (minute >= end) continue;
        const begin = Math.max(minute, start);
        const available = end - begin;
        if (remaining <= available) return new Date(dayStart + (begin + remaining) * MINUTE);
        remaining -= available;
        cursor = dayStart + end * MINUTE;
      }
    }
    cursor = dayStart + 86_400_000; // next day, midnight
  }
  throw new RangeError('addWorkingMinutes: no end found');
}

/** An office-hours instant on a working day: `daysAgo` calendar days before `now`, at a random minute. */
export function officeInstant(now: Date, daysAgo: number, minuteOfDay: number): Date {
  const { dayStart } = local(now);
  return new Date(dayStart - daysAgo * 86_400_000 + minuteOfDay * MINUTE);
}

/**
 * The approximate due date: same-day procedures at 17:00 of the day (the next working day after
 * 15:00), others after their statutory working time.
 */
export function approximateDueAt(receivedAt: Date, statutoryTime: { unit: string; value?: number }): Date {
  if (statutoryTime.unit === 'same-day') {
    const { minute } = local(receivedAt);
    const day = minute > 15 * 60 ? addWorkingMinutes(receivedAt, WORKING_MINUTES_PER_DAY) : receivedAt;
    return new Date(local(day).dayStart + 17 * 60 * MINUTE);
  }
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
