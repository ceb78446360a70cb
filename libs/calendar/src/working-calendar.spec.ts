import { addDays, dayOfWeek } from './local-date';
import {
  dayStatus,
  defaultWorkingCalendar,
  isWorkingDay,
  officialCalendarYears,
  snapshotWorkingCalendar,
  validateWorkingCalendar,
  WorkingCalendarRules,
} from './working-calendar';

const calendar = defaultWorkingCalendar();

function daysOff(from: string, to: string, rules: WorkingCalendarRules = calendar): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!isWorkingDay(d, rules)) out.push(d);
  return out;
}

function weekdaysOff(year: number): string[] {
  return daysOff(`${year}-01-01`, `${year}-12-31`).filter((d) => ![0, 6].includes(dayOfWeek(d)));
}

function workingSaturdays(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    if (dayOfWeek(d) === 6 && isWorkingDay(d, calendar)) out.push(d);
  }
  return out;
}

describe('working calendar: rule + official overrides', () => {
  it('ships a valid default calendar whose overrides all carry a reason and a source', () => {
    expect(validateWorkingCalendar(calendar)).toEqual([]);
    for (const year of officialCalendarYears()) {
      expect(year.sourceNote.length).toBeGreaterThan(20);
      for (const o of year.overrides) expect(o.date.startsWith(String(year.year))).toBe(true);
    }
  });

  it('2025 official Tết break: 25 Jan – 2 Feb off, back to work on Monday 3 Feb', () => {
    expect(daysOff('2025-01-24', '2025-02-03')).toEqual([
      '2025-01-25',
      '2025-01-26',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
    ]);
    expect(dayStatus('2025-02-03', calendar)).toMatchObject({ working: true, why: 'override' });
  });

  it('2025 Hùng Kings 5–7 Apr, 30 Apr – 4 May with Saturday 26 Apr worked, National Day 30 Aug – 2 Sep', () => {
    expect(daysOff('2025-04-04', '2025-04-08')).toEqual(['2025-04-05', '2025-04-06', '2025-04-07']);
    expect(daysOff('2025-04-25', '2025-05-05')).toEqual([
      '2025-04-27',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
      '2025-05-04',
    ]);
    expect(isWorkingDay('2025-04-26', calendar)).toBe(true);
    expect(daysOff('2025-08-29', '2025-09-03')).toEqual([
      '2025-08-30',
      '2025-08-31',
      '2025-09-01',
      '2025-09-02',
    ]);
  });

  it('2025 as a whole: exactly the announced weekday days off (11 statutory + 2 May) and one working Saturday', () => {
    expect(weekdaysOff(2025)).toEqual([
      '2025-01-01',
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-04-07',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-09-01',
      '2025-09-02',
    ]);
    expect(workingSaturdays(2025)).toEqual(['2025-04-26']);
  });

  it('2026 as a whole: New Year 1–4 Jan, Tết 14–22 Feb, Hùng Kings compensated on 27 Apr, National Day 29 Aug – 2 Sep', () => {
    expect(weekdaysOff(2026)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-08-31',
      '2026-09-01',
      '2026-09-02',
    ]);
    expect(daysOff('2026-02-13', '2026-02-23')).toHaveLength(9);
    expect(workingSaturdays(2026)).toEqual(['2026-01-10', '2026-08-22']);
  });

  it('lets an override win over the rule in both directions', () => {
    const rules: WorkingCalendarRules = {
      ...calendar,
      overrides: [
        { date: '2027-09-02', kind: 'working-day', reason: 'test', source: 'test' },
        { date: '2027-03-03', kind: 'day-off', reason: 'storm', source: 'test' },
      ],
    };
    expect(isWorkingDay('2027-09-02', rules)).toBe(true);
    expect(dayStatus('2027-03-03', rules)).toEqual({
      working: false,
      why: 'override',
      name: 'storm',
      override: { date: '2027-03-03', kind: 'day-off', reason: 'storm', source: 'test' },
    });
    expect(dayStatus('2027-03-06', rules)).toEqual({ working: false, why: 'weekend' });
    expect(dayStatus('2027-04-16', rules)).toMatchObject({ working: false, why: 'holiday' });
  });

  it('rejects inconsistent rules', () => {
    const bad: WorkingCalendarRules = {
      ...calendar,
      officeHours: [
        { start: '08:00', end: '12:00' },
        { start: '11:00', end: '15:00' },
      ],
      sameDayCutoff: '3pm',
      overrides: [
        { date: '2025-13-01', kind: 'day-off', reason: '', source: 'x' },
        { date: '2025-01-02', kind: 'day-off', reason: 'a', source: 'x' },
        { date: '2025-01-02', kind: 'working-day', reason: 'b', source: 'x' },
      ],
    };
    const problems = validateWorkingCalendar(bad).join('\n');
    expect(problems).toMatch(/overlaps/);
    expect(problems).toMatch(/sameDayCutoff/);
    expect(problems).toMatch(/not YYYY-MM-DD/);
    expect(problems).toMatch(/reason is required/);
    expect(problems).toMatch(/more than one override/);
    expect(() => isWorkingDay('2025-01-02', bad)).toThrow(/invalid working calendar/);
    expect(
      validateWorkingCalendar({ ...calendar, officeHours: [{ start: '08:00', end: '12:00' }] })[0],
    ).toMatch(/add up to 4 h/);
  });

  it('snapshots to plain JSON that behaves the same and drops overrides before receipt', () => {
    const snapshot = snapshotWorkingCalendar(calendar, '2026-01-01');
    const roundTripped = JSON.parse(JSON.stringify(snapshot)) as WorkingCalendarRules;
    expect(roundTripped.overrides.every((o) => o.date >= '2026-01-01')).toBe(true);
    expect(daysOff('2026-01-01', '2026-12-31', roundTripped)).toEqual(daysOff('2026-01-01', '2026-12-31'));
  });
});
