// The working-day calendar as an explicit, JSON-serialisable value. A dossier stores the snapshot it
// was received under, so later edits to office hours or official days off never move its due date.
import {
  dayOfWeek,
  isLocalDate,
  LocalDate,
  parseClock,
  parseLocalDate,
  VIETNAM_UTC_OFFSET_MINUTES,
} from './local-date';
import { HOLIDAY_RULE_ID, holidaysByRule } from './public-holidays';
import officialCalendars from './official-calendars.json';

export type CalendarOverrideKind = 'day-off' | 'working-day';
export const CALENDAR_OVERRIDE_KINDS = [
  'day-off',
  'working-day',
] as const satisfies readonly CalendarOverrideKind[];

/** One official decision about one date; wins over the rule. */
export interface CalendarOverride {
  date: LocalDate;
  kind: CalendarOverrideKind;
  reason: string;
  source: string;
}

/** A block of office time in local 'HH:mm', end exclusive. */
export interface OfficeSession {
  start: string;
  end: string;
}

export interface WorkingCalendarRules {
  /** Free-form label of this rule set (e.g. 'hanoi-2026-01-01'), kept in snapshots for audit. */
  version: string;
  timeZone: 'Asia/Ho_Chi_Minh';
  /** Fixed offset: Vietnam has no daylight saving. */
  utcOffsetMinutes: number;
  /** Which rule computes public holidays; only one exists today. */
  holidayRule: typeof HOLIDAY_RULE_ID;
  /** 0 = Sunday … 6 = Saturday. */
  weekendDays: number[];
  /** Office sessions of a working day, in order; their total must equal hoursPerWorkingDay. */
  officeHours: OfficeSession[];
  /** Converts statutory days to working hours (Decree 118/2025 counts a working day as 8 hours). */
  hoursPerWorkingDay: number;
  /** A same-day procedure received after this local time is due the next working day. */
  sameDayCutoff: string;
  overrides: CalendarOverride[];
}

/**
 * Default office hours 08:00–12:00 and 13:00–17:00: the hours of central agencies and of Hanoi's
 * state offices since the city's 2012 staggered-hours decision (offices 8:00–17:00). Provincial
 * desks elsewhere often open 07:00/07:30 and some Hanoi communes publish their own hours, so each
 * unit's calendar can replace them.
 */
export const DEFAULT_OFFICE_HOURS: readonly OfficeSession[] = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];

export interface OfficialCalendarYear {
  year: number;
  /** Number(s) and issuer(s) of the decision(s) the year's days come from. */
  decisionNumber: string;
  sourceNote: string;
  overrides: CalendarOverride[];
}

export function officialCalendarYears(): OfficialCalendarYear[] {
  return (
    officialCalendars.years as Array<{
      year: number;
      decisionNumber: string;
      sourceNote: string;
      overrides: Array<Record<string, string>>;
    }>
  ).map((year) => ({
    year: year.year,
    decisionNumber: year.decisionNumber,
    sourceNote: year.sourceNote,
    overrides: year.overrides.map((o) => ({
      date: o.date!,
      kind: o.kind as CalendarOverrideKind,
      reason: o.reason!,
      source: o.source!,
    })),
  }));
}

/** The calendar in force by default: Saturday/Sunday off, default office hours, all official overrides. */
export function defaultWorkingCalendar(version = 'vn-default'): WorkingCalendarRules {
  return {
    version,
    timeZone: 'Asia/Ho_Chi_Minh',
    utcOffsetMinutes: VIETNAM_UTC_OFFSET_MINUTES,
    holidayRule: HOLIDAY_RULE_ID,
    weekendDays: [6, 0],
    officeHours: DEFAULT_OFFICE_HOURS.map((s) => ({ ...s })),
    hoursPerWorkingDay: 8,
    sameDayCutoff: '15:00',
    overrides: officialCalendarYears().flatMap((y) => y.overrides),
  };
}

/** Problems with a rule set, empty when valid. Checked before a rule set is stored or used. */
export function validateWorkingCalendar(rules: WorkingCalendarRules): string[] {
  const problems: string[] = [];
  if (rules.timeZone !== 'Asia/Ho_Chi_Minh' || rules.utcOffsetMinutes !== VIETNAM_UTC_OFFSET_MINUTES) {
    problems.push('only Asia/Ho_Chi_Minh (UTC+7, no DST) is supported');
  }
  if (rules.holidayRule !== HOLIDAY_RULE_ID)
    problems.push(`unknown holiday rule: ${String(rules.holidayRule)}`);
  if (!rules.weekendDays.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
    problems.push('weekendDays must be integers 0 (Sunday) to 6 (Saturday)');
  }
  let officeMinutes = 0;
  let previousEnd = -1;
  for (const session of rules.officeHours) {
    let start: number;
    let end: number;
    try {
      start = parseClock(session.start);
      end = parseClock(session.end);
    } catch {
      problems.push(`office session ${session.start}–${session.end} is not HH:mm–HH:mm`);
      continue;
    }
    if (end <= start) problems.push(`office session ${session.start}–${session.end} ends before it starts`);
    if (start < previousEnd)
      problems.push(`office session ${session.start}–${session.end} overlaps or is out of order`);
    previousEnd = end;
    officeMinutes += Math.max(0, end - start);
  }
  if (rules.officeHours.length === 0) problems.push('at least one office session is required');
  if (!(rules.hoursPerWorkingDay > 0)) problems.push('hoursPerWorkingDay must be positive');
  else if (officeMinutes !== rules.hoursPerWorkingDay * 60) {
    problems.push(
      `office hours add up to ${officeMinutes / 60} h but a working day is ${rules.hoursPerWorkingDay} h; ` +
        'make them equal so that "N working days" and "N × 8 working hours" agree',
    );
  }
  try {
    parseClock(rules.sameDayCutoff);
  } catch {
    problems.push(`sameDayCutoff is not HH:mm: ${rules.sameDayCutoff}`);
  }
  const seen = new Set<string>();
  for (const o of rules.overrides) {
    if (!isLocalDate(o.date)) problems.push(`override date is not YYYY-MM-DD: ${o.date}`);
    if (!CALENDAR_OVERRIDE_KINDS.includes(o.kind))
      problems.push(`override ${o.date}: unknown kind ${String(o.kind)}`);
    if (!o.reason?.trim()) problems.push(`override ${o.date}: reason is required`);
    if (!o.source?.trim()) problems.push(`override ${o.date}: source is required`);
    if (seen.has(o.date)) problems.push(`override ${o.date}: more than one override for the date`);
    seen.add(o.date);
  }
  return problems;
}

export type DayStatus =
  | { working: true; why: 'weekday' | 'override'; override?: CalendarOverride }
  | { working: false; why: 'weekend' | 'holiday' | 'override'; name?: string; override?: CalendarOverride };

// Compiled lookups per rules object: rule holidays per year and overrides by date. Keyed weakly on
// the (treated as immutable) rules value so callers can pass plain JSON around freely.
interface Compiled {
  overrides: Map<LocalDate, CalendarOverride>;
  holidaysByYear: Map<number, Map<LocalDate, string>>;
}
const compiled = new WeakMap<WorkingCalendarRules, Compiled>();

function compile(rules: WorkingCalendarRules): Compiled {
  let entry = compiled.get(rules);
  if (!entry) {
    const problems = validateWorkingCalendar(rules);
    if (problems.length > 0) throw new RangeError(`invalid working calendar: ${problems.join('; ')}`);
    entry = { overrides: new Map(rules.overrides.map((o) => [o.date, o])), holidaysByYear: new Map() };
    compiled.set(rules, entry);
  }
  return entry;
}

function ruleHolidayName(rules: WorkingCalendarRules, date: LocalDate): string | undefined {
  const entry = compile(rules);
  const { year } = parseLocalDate(date);
  let holidays = entry.holidaysByYear.get(year);
  if (!holidays) {
    holidays = new Map(holidaysByRule(year, rules.weekendDays).map((h) => [h.date, h.name]));
    entry.holidaysByYear.set(year, holidays);
  }
  return holidays.get(date);
}

/** Why a date is or is not a working day: official override, then weekend, then holiday rule. */
export function dayStatus(date: LocalDate, rules: WorkingCalendarRules): DayStatus {
  const override = compile(rules).overrides.get(date);
  if (override) {
    return override.kind === 'working-day'
      ? { working: true, why: 'override', override }
      : { working: false, why: 'override', name: override.reason, override };
  }
  if (rules.weekendDays.includes(dayOfWeek(date))) return { working: false, why: 'weekend' };
  const holiday = ruleHolidayName(rules, date);
  if (holiday) return { working: false, why: 'holiday', name: holiday };
  return { working: true, why: 'weekday' };
}

export function isWorkingDay(date: LocalDate, rules: WorkingCalendarRules): boolean {
  return dayStatus(date, rules).working;
}

/** The last snapshot taken of a rules object, by receipt date: every intake of a day shares it. */
const snapshots = new WeakMap<WorkingCalendarRules, { from: LocalDate; snapshot: WorkingCalendarRules }>();

/**
 * The snapshot a dossier keeps: the rules with only the overrides that can matter for it
 * (from its receipt date on), as plain JSON. Frozen and shared by the intakes of one day under the
 * same rules, so its lookups (holidays of the year, overrides by date) are compiled once, not per
 * dossier.
 */
export function snapshotWorkingCalendar(rules: WorkingCalendarRules, from: LocalDate): WorkingCalendarRules {
  const cached = snapshots.get(rules);
  if (cached?.from === from) return cached.snapshot;
  compile(rules);
  const snapshot = deepFreeze(
    JSON.parse(
      JSON.stringify({ ...rules, overrides: rules.overrides.filter((o) => o.date >= from) }),
    ) as WorkingCalendarRules,
  );
  snapshots.set(rules, { from, snapshot });
  return snapshot;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
