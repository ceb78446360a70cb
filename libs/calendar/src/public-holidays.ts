// Public holidays by rule: Labour Code 2019 (45/2019/QH14), art. 112(1) and the compensatory-day
// rule of art. 111(3). The Government fixes the exact days every year (which Tết days, which day
// next to 2 September, swaps with Saturdays); those decisions are data (official-calendars.json)
// that override what is computed here. The rule is the fallback for years not yet decided.
import { addDays, dayOfWeek, LocalDate, localDate } from './local-date';
import { lunarToSolar } from './lunar-calendar';

export type RuleHolidayKind = 'statutory' | 'compensatory';

export interface RuleHoliday {
  date: LocalDate;
  name: string;
  kind: RuleHolidayKind;
}

/** Identifies this rule in calendar snapshots so a dossier records which rule computed its dates. */
export const HOLIDAY_RULE_ID = 'vn-labour-code-2019-art112';

const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const FRIDAY = 5;

/**
 * The eleven statutory holidays of a solar year (art. 112(1)):
 * 1 Jan; Tết 5 days; Hùng Kings' day (lunar 10/3); 30 Apr; 1 May; 2 Sep plus one adjacent day.
 *
 * Tết: the law gives 5 days and lets the Prime Minister choose them. The rule used when no decision
 * is recorded is the last day of the lunar year plus lunar 1/1–4/1 (the 2026 decision; 2025 chose
 * two days before and three after, which the official data encodes).
 *
 * 2 September's adjacent day: the Government picks 1 or 3 September each year. The rule prefers the
 * candidate that joins a weekend (a Monday or Friday), else a weekday, else 1 September; this
 * reproduces the decisions for 2021 (3 Sep), 2022 (1 Sep), 2023 (1 Sep), 2024 (3 Sep), 2025 and 2026 (1 Sep).
 */
export function statutoryHolidays(year: number): RuleHoliday[] {
  const tet = lunarToSolar({ day: 1, month: 1, year, leapMonth: false });
  const tetDay = localDate(tet.year, tet.month, tet.day);
  const hung = lunarToSolar({ day: 10, month: 3, year, leapMonth: false });

  const holidays: RuleHoliday[] = [
    { date: localDate(year, 1, 1), name: "New Year's Day (Tết Dương lịch)", kind: 'statutory' },
    { date: addDays(tetDay, -1), name: 'Tết Nguyên đán: last day of the lunar year', kind: 'statutory' },
    ...[0, 1, 2, 3].map((offset) => ({
      date: addDays(tetDay, offset),
      name: `Tết Nguyên đán: lunar 1/${offset + 1}`,
      kind: 'statutory' as const,
    })),
    {
      date: localDate(hung.year, hung.month, hung.day),
      name: "Hùng Kings' Commemoration Day (lunar 10/3)",
      kind: 'statutory',
    },
    { date: localDate(year, 4, 30), name: 'Reunification Day', kind: 'statutory' },
    { date: localDate(year, 5, 1), name: "International Workers' Day", kind: 'statutory' },
    { date: localDate(year, 9, 2), name: 'National Day', kind: 'statutory' },
    { date: nationalDayAdjacentDay(year), name: 'National Day: adjacent day', kind: 'statutory' },
  ];
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

function nationalDayAdjacentDay(year: number): LocalDate {
  const candidates = [localDate(year, 9, 1), localDate(year, 9, 3)];
  const bridging = candidates.find((d) => [MONDAY, FRIDAY].includes(dayOfWeek(d)));
  if (bridging) return bridging;
  const weekday = candidates.find((d) => ![SATURDAY, SUNDAY].includes(dayOfWeek(d)));
  return weekday ?? candidates[0]!;
}

/**
 * Statutory holidays plus compensatory days: a holiday that falls on a weekly rest day gives a day off
 * on the next working day (art. 111(3)), skipping other holidays and days already used as compensation.
 */
export function holidaysByRule(
  year: number,
  weekendDays: readonly number[] = [SATURDAY, SUNDAY],
): RuleHoliday[] {
  const statutory = statutoryHolidays(year);
  const taken = new Set(statutory.map((h) => h.date));
  const compensatory: RuleHoliday[] = [];
  for (const holiday of statutory) {
    if (!weekendDays.includes(dayOfWeek(holiday.date))) continue;
    let candidate = addDays(holiday.date, 1);
    while (weekendDays.includes(dayOfWeek(candidate)) || taken.has(candidate))
      candidate = addDays(candidate, 1);
    taken.add(candidate);
    compensatory.push({
      date: candidate,
      name: `Compensatory day for ${holiday.name}`,
      kind: 'compensatory',
    });
  }
  return [...statutory, ...compensatory].sort((a, b) => a.date.localeCompare(b.date));
}
