import type { ReportLevel } from '@backbone/contracts';
import { addWorkingMinutes, hanoiDayOf, type WorkingCalendarRules } from '@backbone/calendar';

/** Decision 1207/QĐ-UBND (2025): the responsible unit accepts a report within 8 working hours. */
export const ACCEPTANCE_WORKING_HOURS = 8;
/** Decision 1207/QĐ-UBND (2025): an urgent report is handled within 4 working hours of acceptance. */
export const URGENT_HANDLING_WORKING_HOURS = 4;

/** One effective-dated handling limit of a level (normal, complex): data the city admin edits. */
export interface HandlingLimit {
  level: Exclude<ReportLevel, 'urgent'>;
  /** First Hanoi day it applies to (acceptance day), inclusive. */
  validFrom: string;
  /** First Hanoi day it no longer applies to, or null while in force. */
  validTo: string | null;
  workingHours: number;
}

/**
 * Working hours to handle a report of `level` accepted on `acceptedAt`: 4 for urgent, else the
 * limit in force on that Hanoi day. A level with no limit in force is a configuration error.
 */
export function handlingWorkingHours(
  level: ReportLevel,
  acceptedAt: Date,
  limits: readonly HandlingLimit[],
): number {
  if (level === 'urgent') return URGENT_HANDLING_WORKING_HOURS;
  const day = hanoiDayOf(acceptedAt);
  const inForce = limits.find(
    (limit) =>
      limit.level === level && limit.validFrom <= day && (limit.validTo === null || day < limit.validTo),
  );
  if (!inForce) throw new Error(`no handling limit for ${level} reports in force on ${day}`);
  return inForce.workingHours;
}

/**
 * The acceptance deadline: 8 working hours after the clock started (submission, transfer or
 * escalation), counted by the shared working calendar (office hours with the lunch break, weekends,
 * public holidays, the official days off and swapped working days).
 */
export function acceptanceDeadline(clockStartedAt: Date, rules: WorkingCalendarRules): Date {
  return addWorkingMinutes(clockStartedAt, ACCEPTANCE_WORKING_HOURS * 60, rules);
}

/** The handling deadline: the level's limit in working hours from acceptance (or reopening). */
export function handlingDeadline(
  level: ReportLevel,
  from: Date,
  limits: readonly HandlingLimit[],
  rules: WorkingCalendarRules,
): Date {
  return addWorkingMinutes(from, handlingWorkingHours(level, from, limits) * 60, rules);
}

/** A deadline is met when the step happened at or before it. */
export function withinDeadline(at: Date, dueAt: Date): boolean {
  return at.getTime() <= dueAt.getTime();
}
