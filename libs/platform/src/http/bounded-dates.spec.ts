import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  assertBoundedDayRange,
  boundedDays,
  isBoundedInstant,
  isBoundedLocalDate,
  IsBoundedInstant,
  IsBoundedLocalDate,
} from './bounded-dates';

class Query {
  @IsBoundedLocalDate()
  day!: string;

  @IsBoundedInstant()
  at!: string;
}

describe('bounded request dates', () => {
  it('accepts real days from 2000 to 2100 only', () => {
    expect(isBoundedLocalDate('2025-07-01')).toBe(true);
    expect(isBoundedLocalDate('2024-02-29')).toBe(true);
    expect(isBoundedLocalDate('2000-01-01')).toBe(true);
    expect(isBoundedLocalDate('2100-12-31')).toBe(true);
    for (const bad of ['2025-02-29', '2025-02-30', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00']) {
      expect({ bad, ok: isBoundedLocalDate(bad) }).toEqual({ bad, ok: false });
    }
    for (const bad of [
      '9999-12-31',
      '+010000-01-01',
      '1999-12-31',
      '2101-01-01',
      '0000-01-01',
      '2025-7-1',
      20250701,
    ]) {
      expect({ bad, ok: isBoundedLocalDate(bad) }).toEqual({ bad, ok: false });
    }
  });

  it('accepts instants with an offset (or a plain day) in range only', () => {
    expect(isBoundedInstant('2025-07-01T08:00:00Z')).toBe(true);
    expect(isBoundedInstant('2025-07-01T08:00:00.123+07:00')).toBe(true);
    expect(isBoundedInstant('2025-07-01')).toBe(true);
    for (const bad of [
      '2025-07-01T08:00:00', // no offset: read in the server's zone
      '2025-02-30T08:00:00Z',
      '9999-12-31T00:00:00Z',
      '1970-01-01T00:00:00Z',
      '2025-07-01T24:00:00Z',
      '2025-07-01T08:00Z',
    ]) {
      expect({ bad, ok: isBoundedInstant(bad) }).toEqual({ bad, ok: false });
    }
  });

  it('reports the field as a validation error through class-validator', () => {
    const errors = validateSync(plainToInstance(Query, { day: '2025-02-30', at: '9999-01-01T00:00:00Z' }));
    expect(errors.map((error) => error.property).sort()).toEqual(['at', 'day']);
    expect(validateSync(plainToInstance(Query, { day: '2025-02-28', at: '2025-02-28T00:00:00Z' }))).toEqual(
      [],
    );
  });

  it('bounds a range and every loop over one', () => {
    expect(() => assertBoundedDayRange('2025-07-02', '2025-07-01', 10)).toThrow(BadRequestException);
    expect(() => assertBoundedDayRange('2025-07-01', '2025-07-11', 10)).toThrow(BadRequestException);
    expect(() => assertBoundedDayRange('9999-12-31', '9999-12-31', 10)).toThrow(BadRequestException);
    expect(() => assertBoundedDayRange('2025-07-01', '2025-07-10', 10)).not.toThrow();
    expect([...boundedDays('2024-02-28', '2024-03-01', 10)]).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(() => [...boundedDays('2025-01-01', '2025-12-31', 10)]).toThrow(RangeError);
    expect(() => [...boundedDays('9999-12-31', '9999-12-31', 10)]).toThrow(RangeError);
  });
});
