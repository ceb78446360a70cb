import {
  applyOfficialYear,
  defaultWorkingCalendar,
  EMPTY_OFFICIAL_CALENDAR,
  withOfficialYears,
} from '@backbone/calendar';
import {
  acceptanceDeadline,
  handlingDeadline,
  type HandlingLimit,
  handlingWorkingHours,
  withinDeadline,
} from './report-sla';

const rules = defaultWorkingCalendar();
/** A Hanoi wall-clock time as an instant. */
const hanoi = (local: string) => new Date(`${local}+07:00`);
const limits: HandlingLimit[] = [
  { level: 'normal', validFrom: '2025-07-01', validTo: '2026-01-01', workingHours: 40 },
  { level: 'normal', validFrom: '2026-01-01', validTo: null, workingHours: 24 },
  { level: 'complex', validFrom: '2025-07-01', validTo: null, workingHours: 80 },
];

describe('SLA clock (working hours, @backbone/calendar)', () => {
  it('skips the lunch break', () => {
    // Urgent, accepted 10:00: 10–12 and 13–15.
    expect(handlingDeadline('urgent', hanoi('2026-07-01T10:00:00'), limits, rules)).toEqual(
      hanoi('2026-07-01T15:00:00'),
    );
  });

  it('carries over the end of the working day', () => {
    // 16:30 → 17:00 (0.5 h), Thursday 08–12 (4 h), 13:00–16:30 (3.5 h).
    expect(acceptanceDeadline(hanoi('2026-07-01T16:30:00'), rules)).toEqual(hanoi('2026-07-02T16:30:00'));
  });

  it('counts a report received after hours from the next opening', () => {
    expect(acceptanceDeadline(hanoi('2026-07-01T19:45:00'), rules)).toEqual(hanoi('2026-07-02T17:00:00'));
  });

  it('skips the weekend', () => {
    // Friday 15:00: 2 h on Friday, 6 h on Monday.
    expect(acceptanceDeadline(hanoi('2026-07-03T15:00:00'), rules)).toEqual(hanoi('2026-07-06T15:00:00'));
    // Submitted on Saturday: Monday's whole day.
    expect(acceptanceDeadline(hanoi('2026-07-04T10:00:00'), rules)).toEqual(hanoi('2026-07-06T17:00:00'));
  });

  it('skips public holidays and the official days off around them', () => {
    // Friday 29 Aug 2025 16:00: 1 h; Sat–Sun, Mon 1 Sep (official day off), Tue 2 Sep (National
    // Day) are not worked; Wednesday 3 Sep 08–12 and 13–16.
    expect(acceptanceDeadline(hanoi('2025-08-29T16:00:00'), rules)).toEqual(hanoi('2025-09-03T16:00:00'));
  });

  it('works the official swapped working day (Saturday 10 January 2026)', () => {
    expect(acceptanceDeadline(hanoi('2026-01-09T16:00:00'), rules)).toEqual(hanoi('2026-01-10T16:00:00'));
    // And not Friday 2 January 2026, the day off it pays for.
    expect(acceptanceDeadline(hanoi('2026-01-01T09:00:00'), rules)).toEqual(hanoi('2026-01-05T17:00:00'));
  });

  it('follows a decision received as calendar.official-year-set.v1 (a new swapped day in 2027)', () => {
    const { snapshot } = applyOfficialYear(EMPTY_OFFICIAL_CALENDAR, {
      year: 2027,
      version: 2,
      decisionNumber: 'test/2027',
      daysOff: ['2027-07-02'],
      workingDays: ['2027-07-03'],
    });
    const official = withOfficialYears(rules, snapshot);
    // Thursday 1 July 2027 16:00: 1 h; Friday 2 July off; Saturday 3 July worked, 08–12 and 13–16.
    expect(acceptanceDeadline(hanoi('2027-07-01T16:00:00'), official)).toEqual(hanoi('2027-07-03T16:00:00'));
    // Without the decision: Friday 2 July, 08–12 and 13–16.
    expect(acceptanceDeadline(hanoi('2027-07-01T16:00:00'), rules)).toEqual(hanoi('2027-07-02T16:00:00'));
  });

  it('gives urgent reports 4 working hours and the others their effective-dated limit', () => {
    const monday = hanoi('2026-07-06T09:00:00');
    expect(handlingWorkingHours('urgent', monday, limits)).toBe(4);
    expect(handlingDeadline('urgent', monday, limits, rules)).toEqual(hanoi('2026-07-06T14:00:00'));
    // Normal: 24 working hours from 2026 (three working days).
    expect(handlingDeadline('normal', monday, limits, rules)).toEqual(hanoi('2026-07-09T09:00:00'));
    // The 2025 limit applies to a report accepted in 2025.
    expect(handlingWorkingHours('normal', hanoi('2025-12-31T09:00:00'), limits)).toBe(40);
    expect(handlingDeadline('complex', monday, limits, rules)).toEqual(hanoi('2026-07-20T09:00:00'));
  });

  it('refuses a level without a limit in force', () => {
    expect(() => handlingWorkingHours('complex', hanoi('2025-06-30T09:00:00'), limits)).toThrow(
      /no handling limit/,
    );
  });

  it('meets a deadline at the deadline itself', () => {
    const due = hanoi('2026-07-06T14:00:00');
    expect(withinDeadline(due, due)).toBe(true);
    expect(withinDeadline(new Date(due.getTime() + 1000), due)).toBe(false);
  });
});
