import isISO8601 from 'validator/lib/isISO8601';
import { isPlainUtcInstant } from './iso-instant';

const STRICT = { strict: true, strictSeparator: true };
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('isPlainUtcInstant (the compiled validator quick yes for isISO8601 strict)', () => {
  it('never accepts what isISO8601 strict refuses, over every date of 1896–2104 including impossible days', () => {
    let accepted = 0;
    for (let year = 1896; year <= 2104; year += 1)
      for (let month = 0; month <= 13; month += 1)
        for (let day = 0; day <= 32; day += 1) {
          const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}T07:30:00Z`;
          const quick = isPlainUtcInstant(value);
          if (quick) accepted += 1;
          // Exact agreement on this shape: the quick path says yes exactly when isISO8601 does.
          expect([value, quick]).toEqual([value, isISO8601(value, STRICT)]);
        }
    expect(accepted).toBeGreaterThan(70_000);
  });

  it('agrees on every time of day at the boundaries, with and without fractions', () => {
    for (const hour of [0, 1, 9, 12, 23, 24, 25, 99])
      for (const minute of [0, 30, 59, 60, 99])
        for (const second of [0, 30, 59, 60, 61, 99])
          for (const fraction of ['', '.1', '.123', '.123456789']) {
            const value = `2026-11-26T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}Z`;
            if (isPlainUtcInstant(value)) expect([value, isISO8601(value, STRICT)]).toEqual([value, true]);
          }
    expect(isPlainUtcInstant('2026-11-26T23:59:59.999Z')).toBe(true);
    expect(isPlainUtcInstant('2026-11-26T24:00:00Z')).toBe(false);
  });

  it('leaves every other shape to isISO8601 (it only ever says yes to the plain UTC shape)', () => {
    for (const value of [
      '2026-11-26T07:30:00+07:00',
      '2026-11-26 07:30:00Z',
      '2026-11-26T07:30Z',
      '2026-11-26',
      '20261126T073000Z',
      '2026-W48-4',
      '2026-330',
      '2026-11-26T07:30:00.1234567890Z',
      '0099-11-26T07:30:00Z',
      ' 2026-11-26T07:30:00Z',
      '',
      42,
      null,
      undefined,
    ])
      expect(isPlainUtcInstant(value)).toBe(false);
  });
});
