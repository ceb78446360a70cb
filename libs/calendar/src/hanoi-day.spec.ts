import {
  addHanoiDays,
  hanoiDayCount,
  hanoiDayOf,
  hanoiDayRange,
  hanoiDaysEndingAt,
  isSupportedHanoiDay,
  nextHanoiDay,
  previousHanoiDay,
  startOfHanoiDay,
} from './hanoi-day';
import { addDays, fromEpochDay, toVietnamLocal } from './local-date';

describe('Hanoi-day helpers', () => {
  it('puts an instant on its Hanoi civil day (UTC+7, no daylight saving)', () => {
    expect(hanoiDayOf('2025-07-14T16:59:59Z')).toBe('2025-07-14');
    expect(hanoiDayOf('2025-07-14T17:00:00Z')).toBe('2025-07-15');
    expect(hanoiDayOf(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
    expect(hanoiDayOf(Date.parse('2026-06-30T23:59:59.999Z'))).toBe('2026-07-01');
    expect(() => hanoiDayOf('not a time')).toThrow('Not a timestamp: not a time');
  });

  it('starts a Hanoi day at 17:00Z of the day before, and walks days across months and years', () => {
    expect(startOfHanoiDay('2025-07-15').toISOString()).toBe('2025-07-14T17:00:00.000Z');
    expect(nextHanoiDay('2024-02-28')).toBe('2024-02-29');
    expect(nextHanoiDay('2025-12-31')).toBe('2026-01-01');
    expect(previousHanoiDay('2026-03-01')).toBe('2026-02-28');
    expect(addHanoiDays('2026-01-01', -14)).toBe('2025-12-18');
    expect(hanoiDaysEndingAt(new Date('2026-11-30T18:00:00Z'), 15)).toEqual({
      from: '2026-11-17',
      to: '2026-12-01',
    });
  });

  it('lists day ranges both ends included, empty when reversed, and counts them', () => {
    expect(hanoiDayRange('2025-12-30', '2026-01-02')).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
    ]);
    expect(hanoiDayRange('2026-01-02', '2026-01-01')).toEqual([]);
    expect(hanoiDayCount('2025-01-01', '2025-12-31')).toBe(365);
    expect(() => hanoiDayRange('2025-01-01', '2025-12-31', { maxDays: 31 })).toThrow(
      '2025-01-01..2025-12-31 spans 365 days, more than 31',
    );
  });

  it('refuses years outside 2000–2100 with a clear error, so no walk over days can run forever', () => {
    // The loop a security review found: '+010000-01-01' sorts before '9999-12-31', so walking from
    // 9999-12-31 to 9999-12-31 by "next day" string comparison would never stop.
    expect(() => hanoiDayRange('9999-12-01', '9999-12-31')).toThrow(
      'from 9999-12-01: year 9999 is outside the supported years 2000–2100',
    );
    expect(() => hanoiDayRange('2100-12-01', '9999-12-31')).toThrow(/year 9999 is outside/);
    expect(() => hanoiDayRange('1999-12-31', '2000-01-02')).toThrow(/year 1999 is outside/);
    expect(() => nextHanoiDay('2101-01-01')).toThrow(/year 2101 is outside the supported years 2000–2100/);
    expect(() => nextHanoiDay('2100-12-31')).toThrow(/year 2101 is outside/);
    expect(() => startOfHanoiDay('+010000-01-01')).toThrow(RangeError);
    expect(() => hanoiDayOf('+010000-01-01T00:00:00Z')).toThrow(/year 10000 is outside/);
    expect(() => hanoiDayOf('1970-01-01T00:00:00Z')).toThrow(/year 1970 is outside/);
    // The arithmetic under every helper is bounded too: a hand-written loop stops with an error.
    expect(() => addDays('2100-12-31', 1)).toThrow(/year 2101 is outside/);
    expect(() => fromEpochDay(Number.NaN)).toThrow(RangeError);
    expect(() => toVietnamLocal(new Date(Date.UTC(275_000, 0, 1)))).toThrow(/outside the supported years/);
    expect(() => {
      for (let d = '9999-12-30'; d <= '9999-12-31'; d = addDays(d, 1));
    }).toThrow(/outside the supported years/);
    expect(hanoiDayRange('2100-12-30', '2100-12-31')).toEqual(['2100-12-30', '2100-12-31']);
    expect(hanoiDayRange('2000-01-01', '2000-01-01')).toEqual(['2000-01-01']);
  });

  it('tells which request days are acceptable', () => {
    expect(isSupportedHanoiDay('2026-02-17')).toBe(true);
    expect(isSupportedHanoiDay('2026-02-30')).toBe(false);
    expect(isSupportedHanoiDay('9999-12-31')).toBe(false);
    expect(isSupportedHanoiDay('+010000-01-01')).toBe(false);
  });
});
