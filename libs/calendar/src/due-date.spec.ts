import { dueDateFor, resumeAfterPause, statutoryWorkingHours, validateStatutoryTime } from './due-date';
import { defaultWorkingCalendar, WorkingCalendarRules } from './working-calendar';

const calendar = defaultWorkingCalendar();
const vn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const asVn = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const due = (
  receivedAt: string,
  time: Parameters<typeof dueDateFor>[1],
  rules: WorkingCalendarRules = calendar,
) => asVn(dueDateFor(vn(receivedAt), time, rules).dueAt);

describe('due dates', () => {
  describe('same-day procedures and the 15:00 cut-off', () => {
    it.each([
      ['2026-03-02 09:00', '2026-03-02 17:00'],
      ['2026-03-02 15:00', '2026-03-02 17:00'], // at 15:00 exactly: still today
      ['2026-03-02 15:01', '2026-03-03 17:00'], // after 15:00: next working day
      ['2026-03-06 16:30', '2026-03-09 17:00'], // Friday after the cut-off → Monday
      ['2026-03-02 07:10', '2026-03-02 17:00'], // before opening counts from 08:00
      ['2026-03-02 12:15', '2026-03-02 17:00'], // lunch break counts from 13:00
      ['2026-03-02 18:00', '2026-03-03 17:00'], // evening online submission: next opening
      ['2026-03-07 10:00', '2026-03-09 17:00'], // Saturday
      ['2026-02-13 15:30', '2026-02-23 17:00'], // after the cut-off before Tết 2026
      ['2025-04-25 15:30', '2025-04-26 17:00'], // next working day is the swapped Saturday
    ])('received %s → due %s', (receivedAt, expected) => {
      expect(due(receivedAt, { unit: 'same-day' })).toBe(expected);
    });

    it('treats a second past 15:00 as after the cut-off', () => {
      expect(
        asVn(dueDateFor(new Date('2026-03-02T15:00:01+07:00'), { unit: 'same-day' }, calendar).dueAt),
      ).toBe('2026-03-03 17:00');
    });

    it('uses the configured cut-off', () => {
      expect(due('2026-03-02 14:30', { unit: 'same-day' }, { ...calendar, sameDayCutoff: '14:00' })).toBe(
        '2026-03-03 17:00',
      );
    });
  });

  describe('working days and hours', () => {
    it.each([
      ['2026-03-02 10:00', { unit: 'working-days', value: 3 } as const, '2026-03-05 10:00'],
      ['2026-03-02 10:00', { unit: 'working-days', value: 0.5 } as const, '2026-03-02 15:00'],
      ['2026-03-02 08:00', { unit: 'working-days', value: 1 } as const, '2026-03-02 17:00'],
      ['2026-03-02 18:30', { unit: 'working-days', value: 1 } as const, '2026-03-03 17:00'],
      ['2026-03-02 16:00', { unit: 'working-hours', value: 4 } as const, '2026-03-03 11:00'],
      ['2025-01-24 10:00', { unit: 'working-days', value: 2 } as const, '2025-02-04 10:00'], // over Tết 2025
      ['2025-12-31 09:00', { unit: 'working-days', value: 5 } as const, '2026-01-09 09:00'], // New Year 2026 break
      ['2026-01-09 09:00', { unit: 'working-days', value: 1 } as const, '2026-01-10 09:00'], // swapped Saturday 10 Jan
      ['2026-04-24 10:00', { unit: 'working-days', value: 2 } as const, '2026-04-29 10:00'], // Hùng Kings compensated on Mon 27 Apr
    ])('received %s for %j → due %s', (receivedAt, time, expected) => {
      expect(due(receivedAt, time)).toBe(expected);
    });

    it('reports the counting start and statutory working hours', () => {
      const result = dueDateFor(vn('2026-03-07 10:00'), { unit: 'working-days', value: 2 }, calendar);
      expect(asVn(result.countingFrom)).toBe('2026-03-09 08:00');
      expect(statutoryWorkingHours({ unit: 'working-days', value: 15 }, calendar)).toBe(120);
      expect(statutoryWorkingHours({ unit: 'working-days', value: 0.5 }, calendar)).toBe(4);
      expect(statutoryWorkingHours({ unit: 'working-hours', value: 4 }, calendar)).toBe(4);
      expect(statutoryWorkingHours({ unit: 'same-day' }, calendar)).toBe(8);
    });

    it('rejects impossible statutory times', () => {
      expect(validateStatutoryTime({ unit: 'working-days', value: 0 })).toHaveLength(1);
      expect(validateStatutoryTime({ unit: 'working-days', value: 1.3 })).toHaveLength(1);
      expect(validateStatutoryTime({ unit: 'working-hours', value: 2.5 })).toHaveLength(1);
      expect(() => dueDateFor(vn('2026-03-02 10:00'), { unit: 'working-days', value: -1 }, calendar)).toThrow(
        RangeError,
      );
    });

    it('keeps the rules of receipt: a later change to office hours does not move an existing due date', () => {
      const atReceipt = JSON.parse(JSON.stringify(calendar)) as WorkingCalendarRules;
      const before = due('2026-03-02 10:00', { unit: 'working-days', value: 3 }, atReceipt);
      const changed: WorkingCalendarRules = {
        ...calendar,
        overrides: [...calendar.overrides, { date: '2026-03-04', kind: 'day-off', reason: 'x', source: 'x' }],
      };
      expect(due('2026-03-02 10:00', { unit: 'working-days', value: 3 }, changed)).toBe('2026-03-06 10:00');
      expect(due('2026-03-02 10:00', { unit: 'working-days', value: 3 }, atReceipt)).toBe(before);
    });
  });

  describe('pauses (supplement requested → provided)', () => {
    it('moves the due date by the paused working time only', () => {
      const dueAt = vn('2026-03-11 10:00');
      // Requested Friday 16:00, supplied Monday 09:00: 1 h Friday + 1 h Monday = 120 working minutes.
      const outcome = resumeAfterPause(dueAt, vn('2026-03-06 16:00'), vn('2026-03-09 09:00'), calendar);
      expect(outcome.pausedWorkingMinutes).toBe(120);
      expect(asVn(outcome.newDueAt)).toBe('2026-03-11 12:00'); // 10:00 + 2 h ends with the morning session
    });

    it('moves a due date at closing time into the next working day', () => {
      const outcome = resumeAfterPause(
        vn('2026-03-06 17:00'),
        vn('2026-03-02 09:00'),
        vn('2026-03-02 09:30'),
        calendar,
      );
      expect(outcome.pausedWorkingMinutes).toBe(30);
      expect(asVn(outcome.newDueAt)).toBe('2026-03-09 08:30');
    });

    it('does not move the due date for a pause entirely outside office hours, and counts holidays as paused-free', () => {
      const dueAt = vn('2026-02-24 10:00');
      expect(
        resumeAfterPause(dueAt, vn('2026-03-06 17:30'), vn('2026-03-09 07:45'), calendar).newDueAt,
      ).toEqual(dueAt);
      // Paused over Tết 2026: only Fri 13 Feb 16:00–17:00 and Mon 23 Feb 08:00–09:00 count.
      expect(
        resumeAfterPause(dueAt, vn('2026-02-13 16:00'), vn('2026-02-23 09:00'), calendar)
          .pausedWorkingMinutes,
      ).toBe(120);
    });

    it('rejects a pause that ends before it starts', () => {
      expect(() =>
        resumeAfterPause(vn('2026-03-11 10:00'), vn('2026-03-09 09:00'), vn('2026-03-06 16:00'), calendar),
      ).toThrow(RangeError);
    });
  });
});
