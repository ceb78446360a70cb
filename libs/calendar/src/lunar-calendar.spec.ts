import { leapMonthOf, lunarToSolar, solarToLunar } from './lunar-calendar';

const iso = (d: { year: number; month: number; day: number }) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

// Expected values and where they come from (never computed by the code under test):
// - Tết 2020–2026 and Hùng Kings 2020–2026: official holiday announcements and timeanddate.com's
//   Vietnam tables (2020-04-02, 2021-04-21, 2022-04-10, 2023-04-29, 2024-04-18, 2025-04-07, 2026-04-26);
//   Tết 2025 (29 Jan) and 2026 (17 Feb) also appear in the government's 2025/2026 holiday notices.
// - Tết 2027 (6 Feb), 2028 (26 Jan), 2029 (13 Feb): the brief; they agree with ICU's Chinese
//   calendar and with this implementation (the new moons are not near midnight, so UTC+7 and UTC+8 agree).
// - Tết 2030 is 2 Feb 2030 in Vietnam, one day BEFORE China's 3 Feb: the new moon is at 23:08 UTC+7
//   on 2 Feb (00:08 on 3 Feb in UTC+8). Vietnamese press citing the calendar authority list 2030 (and
//   2053) as years when Vietnam celebrates Tết a day earlier than China. (The brief said 3 Feb, which is
//   the Chinese date.)
// - Hùng Kings 2027–2030: two independent computations agree — this implementation (UTC+7) and ICU's
//   Chinese calendar (UTC+8); the month-3 new moons fall at 04:41–11:32 local time, far from midnight.
const TET: Array<[number, string]> = [
  [2020, '2020-01-25'],
  [2021, '2021-02-12'],
  [2022, '2022-02-01'],
  [2023, '2023-01-22'],
  [2024, '2024-02-10'],
  [2025, '2025-01-29'],
  [2026, '2026-02-17'],
  [2027, '2027-02-06'],
  [2028, '2028-01-26'],
  [2029, '2029-02-13'],
  [2030, '2030-02-02'],
];

const HUNG_KINGS: Array<[number, string]> = [
  [2020, '2020-04-02'],
  [2021, '2021-04-21'],
  [2022, '2022-04-10'],
  [2023, '2023-04-29'],
  [2024, '2024-04-18'],
  [2025, '2025-04-07'],
  [2026, '2026-04-26'],
  [2027, '2027-04-16'],
  [2028, '2028-04-04'],
  [2029, '2029-04-23'],
  [2030, '2030-04-12'],
];

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it.each(TET)('Tết (lunar 1/1) of %i is %s', (year, expected) => {
    expect(iso(lunarToSolar({ day: 1, month: 1, year, leapMonth: false }))).toBe(expected);
    const [y, m, d] = expected.split('-').map(Number) as [number, number, number];
    expect(solarToLunar({ year: y, month: m, day: d })).toEqual({ day: 1, month: 1, year, leapMonth: false });
  });

  it.each(HUNG_KINGS)("Hùng Kings' day (lunar 10/3) of %i is %s", (year, expected) => {
    expect(iso(lunarToSolar({ day: 10, month: 3, year, leapMonth: false }))).toBe(expected);
  });

  it('differs from the Chinese (UTC+8) calendar where the new moon falls between 23:00 and 24:00 in Vietnam', () => {
    // 2007: Vietnam celebrated Tết on 17 Feb, China on 18 Feb (widely reported at the time).
    expect(iso(lunarToSolar({ day: 1, month: 1, year: 2007, leapMonth: false }))).toBe('2007-02-17');
    expect(iso(lunarToSolar({ day: 1, month: 1, year: 2007, leapMonth: false }, 8))).toBe('2007-02-18');
    expect(iso(lunarToSolar({ day: 1, month: 1, year: 2030, leapMonth: false }, 8))).toBe('2030-02-03');
  });

  it('knows the leap months of 2020–2030 (leap 4 in 2020, leap 2 in 2023, leap 6 in 2025, leap 5 in 2028)', () => {
    const leaps = Object.fromEntries(
      [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030].map((y) => [y, leapMonthOf(y)]),
    );
    expect(leaps).toEqual({
      2020: 4,
      2021: null,
      2022: null,
      2023: 2,
      2024: null,
      2025: 6,
      2026: null,
      2027: null,
      2028: 5,
      2029: null,
      2030: null,
    });
  });

  it('converts a leap-month date both ways and rejects a leap month that does not exist', () => {
    const leap = { day: 1, month: 6, year: 2025, leapMonth: true };
    const solar = lunarToSolar(leap);
    expect(iso(solar)).toBe('2025-07-25');
    expect(solarToLunar(solar)).toEqual(leap);
    expect(() => lunarToSolar({ day: 1, month: 5, year: 2025, leapMonth: true })).toThrow(RangeError);
    expect(() => lunarToSolar({ day: 1, month: 1, year: 2026, leapMonth: true })).toThrow(RangeError);
  });

  it('round-trips every day from 2019 to 2031', () => {
    const start = Date.UTC(2019, 0, 1);
    const end = Date.UTC(2031, 11, 31);
    for (let t = start; t <= end; t += 86_400_000) {
      const d = new Date(t);
      const solar = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      expect(lunarToSolar(solarToLunar(solar))).toEqual(solar);
    }
  });

  it('puts the eve of Tết on the last day (29 or 30) of lunar month 12', () => {
    expect(solarToLunar({ year: 2025, month: 1, day: 28 })).toEqual({
      day: 29,
      month: 12,
      year: 2024,
      leapMonth: false,
    });
    expect(solarToLunar({ year: 2026, month: 2, day: 16 })).toEqual({
      day: 29,
      month: 12,
      year: 2025,
      leapMonth: false,
    });
    expect(solarToLunar({ year: 2024, month: 2, day: 9 })).toEqual({
      day: 30,
      month: 12,
      year: 2023,
      leapMonth: false,
    });
  });
});
