import {
  BUSINESS_HOURS_PER_DAY,
  busiestHourOf,
  kindSequence,
  LOAD_KINDS,
  parseMinutes,
  percentile,
  summarise,
  watermarkVisibility,
} from './busiest-hour';
import { type CityPlan, planCity15Days } from './city-15-days-plan';

const NOW = new Date('2026-11-30T06:00:00Z'); // 13:00 in Hanoi, a Monday

/** A plan of two days by hand: day 0 has 13 records, day 1 has 26 (2 an hour), 1 of each but dossiers. */
function twoDayPlan(): CityPlan {
  const at = (day: number, n: number) => Array.from({ length: n }, () => ({ day, unitCode: '00070' }));
  return {
    seed: 1,
    scale: 1,
    targets: {} as CityPlan['targets'],
    period: { from: '2026-11-29', to: '2026-11-30' },
    days: ['2026-11-29', '2026-11-30'],
    dossiers: [...at(0, 9), ...at(1, 22)].map((slot) => ({ ...slot, channel: 'direct' as const })),
    calls: [...at(0, 1), ...at(1, 1)],
    appReports: [...at(0, 1), ...at(1, 1)],
    appAccounts: [...at(0, 50)], // not a load kind: the report counts accounts, the issue does not
    members: [...at(0, 1), ...at(1, 1)],
    payments: [...at(0, 1), ...at(1, 1)].map((slot) => ({ ...slot, member: 0 })),
  };
}

describe('the article busiest hour', () => {
  it('is the busiest day of the four services over its 13 business hours, ×10 per second', () => {
    const load = busiestHourOf(twoDayPlan());
    expect(load.day).toBe(1);
    expect(load.date).toBe('2026-11-30');
    expect(load.dayCounts).toEqual({ dossier: 22, call: 1, appReport: 1, payment: 1, member: 1 });
    expect(load.dayTotal).toBe(26);
    expect(load.hourTotal).toBe(2);
    expect(load.ratePerSecond).toBe(Math.round((2 * 10 * 1000) / 3600) / 1000); // 0.006
    expect(load.ratesPerSecond.dossier).toBeCloseTo((22 / 13) * (10 / 3600), 3);
    expect(load.derivation).toContain('2026-11-30');
    expect(load.derivation).toContain('26 records');
  });

  it('is taken from the plan at the article scale only', () => {
    expect(() => busiestHourOf({ ...twoDayPlan(), scale: 0.1 })).toThrow(RangeError);
  });

  it('comes from the full plan: the sum of the kinds on the busiest day, whatever the units', () => {
    const plan = planCity15Days({ seed: 2025, scale: 1, units: ['00070', '00103', '00466'], now: NOW });
    const load = busiestHourOf(plan);
    const totalOn = (day: number) =>
      [plan.dossiers, plan.calls, plan.appReports, plan.payments, plan.members]
        .map((slots) => slots.filter((slot) => slot.day === day).length)
        .reduce((a, b) => a + b, 0);
    const totals = plan.days.map((_, day) => totalOn(day));
    expect(load.dayTotal).toBe(Math.max(...totals));
    expect(totals[load.day]).toBe(load.dayTotal);
    expect(load.hourTotal).toBeCloseTo(load.dayTotal / BUSINESS_HOURS_PER_DAY, 1);
    expect(load.ratePerSecond).toBeCloseTo((load.dayTotal / BUSINESS_HOURS_PER_DAY) * (10 / 3600), 3);
    // The day counts do not depend on the units or the seed (only on the calendar).
    const other = busiestHourOf(planCity15Days({ seed: 7, scale: 1, units: ['00070'], now: NOW }));
    expect(other.dayCounts).toEqual(load.dayCounts);
    // The article's city: some thousands of records on its busiest day, a few per second at ×10.
    expect(load.dayTotal).toBeGreaterThan(66_000 / 13);
    expect(load.ratePerSecond).toBeGreaterThan(1);
    expect(load.ratePerSecond).toBeLessThan(10);
  });
});

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, in any order of the input', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
  });

  it('is null without values, and refuses a rank outside (0, 1]', () => {
    expect(percentile([], 0.99)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});

describe('the order of the kinds', () => {
  it('deals each kind in proportion and interleaves them', () => {
    const sequence = kindSequence({ dossier: 6, call: 1, appReport: 1, payment: 1, member: 1 }, 100);
    const count = (kind: string) => sequence.filter((k) => k === kind).length;
    expect(count('dossier')).toBe(60);
    for (const kind of LOAD_KINDS.filter((k) => k !== 'dossier')) expect(count(kind)).toBe(10);
    // No kind waits long: every stretch of 10 holds one of each of the small kinds.
    for (let i = 0; i + 10 <= 100; i += 10)
      expect(new Set(sequence.slice(i, i + 10)).size).toBe(LOAD_KINDS.length);
  });

  it('refuses weights that add up to nothing', () => {
    expect(() => kindSequence({ dossier: 0, call: 0, appReport: 0, payment: 0, member: 0 }, 3)).toThrow(
      RangeError,
    );
  });
});

describe('the count watermark', () => {
  const poll = (sentAt: number, count: number) => ({ sentAt, receivedAt: sentAt + 5, count });

  it('takes the first poll sent after the acceptance that counts the record', () => {
    const polls = [poll(0, 10), poll(100, 10), poll(200, 11), poll(300, 13)];
    const pairs = watermarkVisibility([150, 50, 160], polls, (p) => polls[p]!.count, 10);
    // In acceptance order: 50 → 11 at 200; 150 → 12 at 300; 160 → 13 at 300.
    expect(pairs).toEqual([
      [50, 205],
      [150, 305],
      [160, 305],
    ]);
  });

  it('ignores a poll sent before the acceptance, even if it counts the record', () => {
    const polls = [poll(0, 11), poll(100, 11)];
    expect(watermarkVisibility([50], polls, (p) => polls[p]!.count, 10)).toEqual([[50, 105]]);
  });

  it('leaves a record no poll shows as not visible', () => {
    const polls = [poll(0, 10), poll(100, 11)];
    expect(watermarkVisibility([10, 20], polls, (p) => polls[p]!.count, 10)).toEqual([
      [10, 105],
      [20, null],
    ]);
  });

  it('summarises delays, a record never seen counting up to when the phase gave up', () => {
    const pairs: [number, number | null][] = [
      ...Array.from({ length: 99 }, (_, i): [number, number] => [i, i + 100]),
      [1_000, null],
    ];
    expect(summarise(pairs, 6_000)).toEqual({
      freshness_p50_ms: 100,
      freshness_p99_ms: 100,
      freshness_max_ms: 5_000,
      samples: 100,
      not_visible: 1,
    });
    expect(summarise([], 0).freshness_p99_ms).toBeNull();
  });
});

describe('--minutes', () => {
  it('is a number of minutes in [0, 60]', () => {
    expect(parseMinutes('2', '--minutes')).toBe(2);
    expect(parseMinutes('0.5', '--minutes')).toBe(0.5);
    expect(() => parseMinutes('61', '--minutes')).toThrow('--minutes');
    expect(() => parseMinutes('x', '--freshness-minutes')).toThrow('--freshness-minutes');
  });
});
