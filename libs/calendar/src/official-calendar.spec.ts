import {
  applyOfficialYear,
  EMPTY_OFFICIAL_CALENDAR,
  MAX_OFFICIAL_DAYS_PER_YEAR,
  nextYearDecisionStatus,
  officialYearVersionOf,
  type OfficialYearDecision,
  validateOfficialYear,
  withOfficialYears,
} from './official-calendar';
import { defaultWorkingCalendar, isWorkingDay } from './working-calendar';

const decision2027: OfficialYearDecision = {
  year: 2027,
  decisionNumber: '1234/TB-BNV',
  days: [
    { date: '2027-03-05', kind: 'day-off', reason: 'swapped day off (test)', source: '1234/TB-BNV' },
    { date: '2027-02-20', kind: 'working-day', reason: 'worked for 5 Feb', source: '1234/TB-BNV' },
  ],
};

describe('validateOfficialYear', () => {
  it('accepts a well-formed decision', () => {
    expect(validateOfficialYear(decision2027)).toEqual([]);
  });

  it('names the field and the reason of every problem', () => {
    const problems = validateOfficialYear({
      year: 2027,
      decisionNumber: ' ',
      days: [
        { date: '2028-01-03', kind: 'day-off', reason: 'x', source: 'y' },
        { date: '2027-02-30', kind: 'day-off', reason: 'x', source: 'y' },
        { date: '2027-02-05', kind: 'holiday' as never, reason: '', source: 'y' },
        { date: '2027-02-05', kind: 'day-off', reason: 'x', source: 'y' },
      ],
    });
    expect(problems).toEqual([
      { field: 'decisionNumber', reason: 'is required' },
      { field: 'days[0].date', reason: '2028-01-03 is not in 2027' },
      { field: 'days[1].date', reason: 'must be a date YYYY-MM-DD' },
      { field: 'days[2].kind', reason: 'must be one of day-off, working-day' },
      { field: 'days[2].reason', reason: 'is required' },
      { field: 'days[3].date', reason: '2027-02-05 is listed more than once' },
    ]);
  });

  it('bounds the year and the number of days', () => {
    expect(validateOfficialYear({ ...decision2027, year: 9999 })).toContainEqual({
      field: 'year',
      reason: 'must be a year from 2000 to 2100',
    });
    const many = Array.from({ length: MAX_OFFICIAL_DAYS_PER_YEAR + 1 }, (_, i) => ({
      date: `2027-03-${String((i % 28) + 1).padStart(2, '0')}`,
      kind: 'day-off' as const,
      reason: 'r',
      source: 's',
    }));
    expect(validateOfficialYear({ ...decision2027, days: many })).toContainEqual({
      field: 'days',
      reason: `must list at most ${MAX_OFFICIAL_DAYS_PER_YEAR} days`,
    });
  });
});

describe('applying a year version (consumer side)', () => {
  const v1 = officialYearVersionOf(decision2027, 1);

  it('keeps the latest version per year and ignores older or repeated ones', () => {
    const first = applyOfficialYear(EMPTY_OFFICIAL_CALENDAR, v1);
    expect(first.outcome).toBe('applied');
    expect(first.snapshot.years['2027']).toEqual({
      year: 2027,
      version: 1,
      decisionNumber: '1234/TB-BNV',
      daysOff: ['2027-03-05'],
      workingDays: ['2027-02-20'],
    });
    expect(applyOfficialYear(first.snapshot, v1)).toEqual({ snapshot: first.snapshot, outcome: 'stale' });
    const v2 = { ...v1, version: 2, daysOff: ['2027-03-05', '2027-03-08'] };
    const second = applyOfficialYear(first.snapshot, v2);
    expect(second.outcome).toBe('applied');
    expect(applyOfficialYear(second.snapshot, v1).outcome).toBe('stale');
    expect(second.snapshot.years['2027']!.daysOff).toEqual(['2027-03-05', '2027-03-08']);
  });

  it('refuses an invalid version with its problems', () => {
    expect(() => applyOfficialYear(EMPTY_OFFICIAL_CALENDAR, { ...v1, daysOff: ['2026-12-31'] })).toThrow(
      'invalid official year 2027: days[0].date 2026-12-31 is not in 2027',
    );
    expect(() => applyOfficialYear(EMPTY_OFFICIAL_CALENDAR, { ...v1, version: 0 })).toThrow(/version/);
  });

  it('makes a calendar whose days in that year are exactly the decision', () => {
    const base = defaultWorkingCalendar();
    const { snapshot } = applyOfficialYear(EMPTY_OFFICIAL_CALENDAR, v1);
    const rules = withOfficialYears(base, snapshot);
    expect(isWorkingDay('2027-03-05', base)).toBe(true);
    expect(isWorkingDay('2027-03-05', rules)).toBe(false);
    expect(isWorkingDay('2027-02-20', rules)).toBe(true); // a Saturday, worked
    // Years the snapshot does not hold keep the base's official days (2026: Friday 2 Jan off).
    expect(isWorkingDay('2026-01-02', rules)).toBe(false);
    // A year the snapshot holds drops the base's days for it.
    const replaced2026 = withOfficialYears(base, {
      years: { '2026': { year: 2026, version: 3, decisionNumber: 'x', daysOff: [], workingDays: [] } },
    });
    expect(isWorkingDay('2026-01-02', replaced2026)).toBe(true);
  });
});

describe('nextYearDecisionStatus', () => {
  it('warns from 1 November (Hanoi time) when next year has no decision', () => {
    // 31 Oct 16:59Z is 23:59 in Hanoi: not yet due.
    expect(nextYearDecisionStatus(new Date('2026-10-31T16:59:00Z'), [2026])).toMatchObject({
      year: 2027,
      due: false,
      missing: false,
      message: null,
    });
    // 31 Oct 17:00Z is 1 Nov 00:00 in Hanoi: due, and missing.
    const missing = nextYearDecisionStatus(new Date('2026-10-31T17:00:00Z'), [2025, 2026]);
    expect(missing).toMatchObject({ year: 2027, due: true, missing: true, day: '2026-11-01' });
    expect(missing.message).toMatch(/no official calendar decision entered for 2027/);
    expect(nextYearDecisionStatus(new Date('2026-12-31T16:00:00Z'), [2027])).toMatchObject({
      due: true,
      missing: false,
    });
    // 31 Dec 17:00Z is already 1 Jan in Hanoi: the next year is now 2028, not yet due.
    expect(nextYearDecisionStatus(new Date('2026-12-31T17:00:00Z'), [2026])).toMatchObject({
      year: 2028,
      due: false,
      missing: false,
    });
  });
});
