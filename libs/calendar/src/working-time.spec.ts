import { defaultWorkingCalendar, WorkingCalendarRules } from './working-calendar';
import { addWorkingHours, addWorkingMinutes, nextOfficeOpening, workingMinutesBetween } from './working-time';

const calendar = defaultWorkingCalendar();
/** A local wall-clock time in Hanoi. */
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const asVn = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working-time arithmetic (Asia/Ho_Chi_Minh, 08:00–12:00 and 13:00–17:00 by default)', () => {
  it.each([
    ['2026-03-02 09:15', '2026-03-02 09:15'], // open: unchanged
    ['2026-03-02 07:00', '2026-03-02 08:00'], // before opening
    ['2026-03-02 12:30', '2026-03-02 13:00'], // lunch break
    ['2026-03-02 17:00', '2026-03-03 08:00'], // closing time is already closed
    ['2026-03-06 18:00', '2026-03-09 08:00'], // Friday evening → Monday
    ['2026-02-13 16:59', '2026-02-13 16:59'], // last minute before Tết
    ['2026-02-14 10:00', '2026-02-23 08:00'], // during the 2026 Tết break
  ])('next office opening from %s is %s', (at, expected) => {
    expect(asVn(nextOfficeOpening(vn(at), calendar))).toBe(expected);
  });

  it.each([
    ['2026-03-02 09:00', 1, '2026-03-02 10:00'],
    ['2026-03-02 11:00', 2, '2026-03-02 14:00'], // crosses lunch
    ['2026-03-02 08:00', 8, '2026-03-02 17:00'], // a whole day ends at closing, not next opening
    ['2026-03-02 16:00', 4, '2026-03-03 11:00'],
    ['2026-03-06 15:00', 3, '2026-03-09 09:00'], // over the weekend
    ['2026-03-02 10:00', 24, '2026-03-05 10:00'], // 3 working days
    ['2026-02-13 15:00', 4, '2026-02-23 10:00'], // over the 2026 Tết break (14–22 Feb)
    ['2025-04-25 16:00', 2, '2025-04-26 09:00'], // Saturday 26 Apr 2025 is an official working day
    ['2025-04-29 16:00', 2, '2025-05-05 09:00'], // 30 Apr – 4 May 2025 off
    ['2026-03-07 10:00', 1, '2026-03-09 09:00'], // started on a Sunday
  ])('%s + %i working hours = %s', (start, hours, expected) => {
    expect(asVn(addWorkingHours(vn(start), hours, calendar))).toBe(expected);
  });

  it('adds zero as the identity and rejects negative or fractional minutes', () => {
    const at = vn('2026-03-07 10:00');
    expect(addWorkingMinutes(at, 0, calendar)).toBe(at);
    expect(() => addWorkingMinutes(at, -1, calendar)).toThrow(RangeError);
    expect(() => addWorkingMinutes(at, 1.5, calendar)).toThrow(RangeError);
    expect(asVn(addWorkingHours(vn('2026-03-02 08:00'), 0.5, calendar))).toBe('2026-03-02 08:30');
  });

  it.each([
    ['2026-03-02 09:00', '2026-03-02 10:30', 90],
    ['2026-03-02 11:30', '2026-03-02 13:30', 60],
    ['2026-03-06 16:00', '2026-03-09 09:00', 120], // Friday 16:00 → Monday 09:00
    ['2026-03-02 18:00', '2026-03-03 07:00', 0],
    ['2026-02-13 08:00', '2026-02-24 08:00', 16 * 60], // Fri 13 Feb + Mon 23 Feb; Tết between
    ['2026-03-02 10:00', '2026-03-02 09:00', 0], // reversed interval
  ])('working minutes between %s and %s = %i', (a, b, minutes) => {
    expect(workingMinutesBetween(vn(a), vn(b), calendar)).toBe(minutes);
  });

  it('is consistent: minutes between start and start + n is n when start is in office hours', () => {
    const start = vn('2026-01-05 08:37');
    for (const n of [1, 59, 203, 480, 481, 2400, 7777]) {
      expect(workingMinutesBetween(start, addWorkingMinutes(start, n, calendar), calendar)).toBe(n);
    }
  });

  it('uses configured office hours (07:30–11:30, 13:00–17:00)', () => {
    const early: WorkingCalendarRules = {
      ...calendar,
      officeHours: [
        { start: '07:30', end: '11:30' },
        { start: '13:00', end: '17:00' },
      ],
    };
    expect(asVn(nextOfficeOpening(vn('2026-03-02 07:00'), early))).toBe('2026-03-02 07:30');
    expect(asVn(addWorkingHours(vn('2026-03-02 11:00'), 1, early))).toBe('2026-03-02 13:30');
  });
});
