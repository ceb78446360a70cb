// The official calendar: the days off and swapped working days the Government fixes for each year.
// The dossier service's reference data is the one place they are entered (docs/adr/0008): a year's
// decision is entered whole, validated here, and published as `calendar.official-year-set.v1` with a
// version, so every service (dossier deadlines, hotline SLAs) applies exactly the same days.
import { hanoiDayOf } from './hanoi-day';
import { isLocalDate, isSupportedYear, LocalDate, parseLocalDate, SUPPORTED_YEARS } from './local-date';
import { CALENDAR_OVERRIDE_KINDS, CalendarOverride, WorkingCalendarRules } from './working-calendar';

/**
 * A year's decision has a handful of entries (2025: five); a few dozen would already be unusual.
 * The bound keeps one request, one event and one history row small.
 */
export const MAX_OFFICIAL_DAYS_PER_YEAR = 60;
const MAX_TEXT = 1000;
const MAX_DECISION_NUMBER = 200;

/** A year's official decision as the city admin enters it: every day of that year, in one go. */
export interface OfficialYearDecision {
  year: number;
  /** The decision's number and issuer, e.g. '9441/TB-BNV'. */
  decisionNumber: string;
  days: CalendarOverride[];
}

/** One problem with an entered decision: which field, and why (a 400's `errors`). */
export interface OfficialYearProblem {
  field: string;
  reason: string;
}

/** Problems with a year's decision, empty when it may be stored: nothing is stored otherwise. */
export function validateOfficialYear(decision: OfficialYearDecision): OfficialYearProblem[] {
  const problems: OfficialYearProblem[] = [];
  const { year } = decision;
  if (!isSupportedYear(year))
    problems.push({
      field: 'year',
      reason: `must be a year from ${SUPPORTED_YEARS.min} to ${SUPPORTED_YEARS.max}`,
    });
  if (typeof decision.decisionNumber !== 'string' || !decision.decisionNumber.trim())
    problems.push({ field: 'decisionNumber', reason: 'is required' });
  else if (decision.decisionNumber.length > MAX_DECISION_NUMBER)
    problems.push({ field: 'decisionNumber', reason: `must be at most ${MAX_DECISION_NUMBER} characters` });
  if (!Array.isArray(decision.days)) {
    problems.push({ field: 'days', reason: 'must be a list of days' });
    return problems;
  }
  if (decision.days.length > MAX_OFFICIAL_DAYS_PER_YEAR)
    problems.push({ field: 'days', reason: `must list at most ${MAX_OFFICIAL_DAYS_PER_YEAR} days` });
  const seen = new Set<string>();
  decision.days.slice(0, MAX_OFFICIAL_DAYS_PER_YEAR).forEach((day, index) => {
    const at = `days[${index}]`;
    if (!day || typeof day !== 'object') {
      problems.push({ field: at, reason: 'must be an object' });
      return;
    }
    if (typeof day.date !== 'string' || !isLocalDate(day.date))
      problems.push({ field: `${at}.date`, reason: 'must be a date YYYY-MM-DD' });
    else if (parseLocalDate(day.date).year !== year)
      problems.push({ field: `${at}.date`, reason: `${day.date} is not in ${year}` });
    else if (seen.has(day.date))
      problems.push({ field: `${at}.date`, reason: `${day.date} is listed more than once` });
    else seen.add(day.date);
    if (!CALENDAR_OVERRIDE_KINDS.includes(day.kind))
      problems.push({ field: `${at}.kind`, reason: `must be one of ${CALENDAR_OVERRIDE_KINDS.join(', ')}` });
    for (const field of ['reason', 'source'] as const) {
      const value = day[field];
      if (typeof value !== 'string' || !value.trim())
        problems.push({ field: `${at}.${field}`, reason: 'is required' });
      else if (value.length > MAX_TEXT)
        problems.push({ field: `${at}.${field}`, reason: `must be at most ${MAX_TEXT} characters` });
    }
  });
  return problems;
}

/**
 * A year's decision as every service receives it (the data of `calendar.official-year-set.v1`):
 * versioned per year, so a consumer keeps the latest and ignores an older or repeated one.
 */
export interface OfficialYearVersion {
  year: number;
  /** 1 for the first decision entered for the year, +1 for each change. */
  version: number;
  decisionNumber: string;
  daysOff: LocalDate[];
  workingDays: LocalDate[];
}

/** The official years a service holds, by year: a plain JSON value it can store as it is (jsonb). */
export interface OfficialCalendarSnapshot {
  years: Record<string, OfficialYearVersion>;
}

export const EMPTY_OFFICIAL_CALENDAR: OfficialCalendarSnapshot = Object.freeze({ years: Object.freeze({}) });

/** The versioned form of an entered decision (what the producer publishes). */
export function officialYearVersionOf(decision: OfficialYearDecision, version: number): OfficialYearVersion {
  const sorted = [...decision.days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    year: decision.year,
    version,
    decisionNumber: decision.decisionNumber,
    daysOff: sorted.filter((d) => d.kind === 'day-off').map((d) => d.date),
    workingDays: sorted.filter((d) => d.kind === 'working-day').map((d) => d.date),
  };
}

/** Problems with a received year version (a consumer refuses, and parks, a version with any). */
export function validateOfficialYearVersion(version: OfficialYearVersion): OfficialYearProblem[] {
  const problems = validateOfficialYear({
    year: version.year,
    decisionNumber: version.decisionNumber,
    days: officialYearOverrides(version),
  });
  if (!Number.isInteger(version.version) || version.version < 1)
    problems.push({ field: 'version', reason: 'must be a positive integer' });
  return problems;
}

/** The overrides a year version stands for; the decision number is their reason and source. */
export function officialYearOverrides(version: OfficialYearVersion): CalendarOverride[] {
  const of = (date: LocalDate, kind: CalendarOverride['kind']): CalendarOverride => ({
    date,
    kind,
    reason: kind === 'day-off' ? 'official day off' : 'official swapped working day',
    source: version.decisionNumber,
  });
  return [
    ...(version.daysOff ?? []).map((date) => of(date, 'day-off')),
    ...(version.workingDays ?? []).map((date) => of(date, 'working-day')),
  ];
}

/**
 * The consumer's side: applies a received year version to the snapshot a service holds. A version
 * not newer than the one held changes nothing ('stale': redelivery or out-of-order); an invalid one
 * throws a RangeError naming the problems, so the consumer's retries and dead letters take over.
 */
export function applyOfficialYear(
  snapshot: OfficialCalendarSnapshot,
  incoming: OfficialYearVersion,
): { snapshot: OfficialCalendarSnapshot; outcome: 'applied' | 'stale' } {
  const problems = validateOfficialYearVersion(incoming);
  if (problems.length > 0)
    throw new RangeError(
      `invalid official year ${String(incoming.year)}: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
    );
  const held = snapshot.years[String(incoming.year)];
  if (held && held.version >= incoming.version) return { snapshot, outcome: 'stale' };
  const copy: OfficialYearVersion = {
    year: incoming.year,
    version: incoming.version,
    decisionNumber: incoming.decisionNumber,
    daysOff: [...incoming.daysOff].sort(),
    workingDays: [...incoming.workingDays].sort(),
  };
  return { snapshot: { years: { ...snapshot.years, [String(incoming.year)]: copy } }, outcome: 'applied' };
}

/**
 * A working calendar whose official days are the snapshot's: for every year the snapshot holds,
 * its days replace whatever `base` had for that year; other years keep `base`'s overrides.
 */
export function withOfficialYears(
  base: WorkingCalendarRules,
  snapshot: OfficialCalendarSnapshot,
): WorkingCalendarRules {
  const years = new Set(Object.keys(snapshot.years));
  const kept = base.overrides.filter((o) => !years.has(o.date.slice(0, 4)));
  const official = Object.values(snapshot.years).flatMap(officialYearOverrides);
  return {
    ...base,
    overrides: [...kept, ...official].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
  };
}

/** The month (1–12, Hanoi time) from which next year's decision is expected. */
export const NEXT_YEAR_DECISION_DUE_MONTH = 11;

export interface NextYearDecisionStatus {
  /** The year whose decision is looked for: the Hanoi year of `now` plus one. */
  year: number;
  /** Whether it is 1 November (Hanoi) or later, when the decision is expected. */
  due: boolean;
  /** Whether next year's decision is entered. */
  entered: boolean;
  /** Due and not entered: shown on readiness, the metric and the daily log line. */
  missing: boolean;
  /** Hanoi day the status is for (the log line is written once per such day). */
  day: LocalDate;
  message: string | null;
}

/**
 * Whether next year's official decision is overdue for entry: from 1 November (Asia/Ho_Chi_Minh)
 * on, a year without an entered decision for the following year is a warning, so nobody finds out on
 * 2 January that deadlines run over Tết by rule instead of by decision.
 */
export function nextYearDecisionStatus(
  now: Date,
  yearsWithDecision: Iterable<number>,
): NextYearDecisionStatus {
  const day = hanoiDayOf(now);
  const { year, month } = parseLocalDate(day);
  const next = year + 1;
  const due = month >= NEXT_YEAR_DECISION_DUE_MONTH;
  const entered = new Set(yearsWithDecision).has(next);
  const missing = due && !entered;
  return {
    year: next,
    due,
    entered,
    missing,
    day,
    message: missing
      ? `no official calendar decision entered for ${next}: deadlines in ${next} follow the holiday rule ` +
        `until the city admin enters it (PUT /calendar/official-years/${next})`
      : null,
  };
}
