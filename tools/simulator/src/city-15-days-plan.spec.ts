import {
  apportion,
  ARTICLE_FIGURES,
  countBy,
  DOSSIER_DAYS,
  instantOn,
  PERIOD_DAYS,
  planCity15Days,
  targetsAt,
} from './city-15-days-plan';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { communeLevelUnitCodes, type DossierUnit } from './units';

// Hanoi's 126 wards and communes as GET /units lists them: the dossier service's seed, read as data.
const UNITS = communeLevelUnitCodes(
  (
    JSON.parse(
      readFileSync(
        resolve(__dirname, '../../../services/dossier/src/reference-data/hanoi-units-2025.json'),
        'utf8',
      ),
    ) as { units: DossierUnit[] }
  ).units,
);
const NOW = new Date('2026-11-30T06:00:00Z'); // 13:00 in Hanoi, a Monday

const sum = (counts: Iterable<number>) => [...counts].reduce((s, n) => s + n, 0);

describe('the city-15-days plan', () => {
  it('reads the 126 wards and communes', () => {
    expect(UNITS).toHaveLength(126);
  });

  it('apportions whole numbers that add up exactly, in proportion', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(0, [2, 5])).toEqual([0, 0]);
    expect(apportion(7, [0, 1])).toEqual([0, 7]);
    const counts = apportion(66_000, [0.72, 0.2, 0.08]);
    expect(sum(counts)).toBe(66_000);
    expect(counts).toEqual([47_520, 13_200, 5_280]);
    expect(() => apportion(5, [0, 0])).toThrow(RangeError);
    expect(() => apportion(-1, [1])).toThrow(RangeError);
  });

  it('scales the article figures to whole targets', () => {
    expect(targetsAt(1)).toEqual({
      dossiers: 66_000,
      online: 9_240,
      agents: 500,
      hotlineCalls: 1_800,
      appReports: 3_500,
      newAppAccounts: 1_700,
      partyMembers: 72_000,
      partyFeeTransactions: 42_000,
    });
    expect(targetsAt(0.1)).toMatchObject({ dossiers: 6_600, online: 924, hotlineCalls: 180 });
    expect(targetsAt(0.01)).toMatchObject({ dossiers: 660, online: 92, agents: 5, hotlineCalls: 18 });
    expect(() => targetsAt(0)).toThrow(RangeError);
    expect(() => targetsAt(1.5)).toThrow(RangeError);
  });

  it.each([0.01, 0.1, 1])('adds up to the targets per day, unit and channel at scale %s', (scale) => {
    const plan = planCity15Days({ seed: 42, scale, units: UNITS, now: NOW });
    const t = plan.targets;
    expect(plan.days).toHaveLength(PERIOD_DAYS);
    expect(plan.days.at(-1)).toBe('2026-11-30');
    expect(plan.period).toEqual({ from: '2026-11-16', to: '2026-11-30' });

    expect(plan.dossiers).toHaveLength(t.dossiers);
    const byDay = countBy(plan.dossiers, (d) => d.day);
    expect(sum(byDay.values())).toBe(t.dossiers);
    // Only the last 13 days carry dossiers.
    for (const day of byDay.keys()) expect(Number(day)).toBeGreaterThanOrEqual(PERIOD_DAYS - DOSSIER_DAYS);
    const byUnit = countBy(plan.dossiers, (d) => d.unitCode);
    expect(sum(byUnit.values())).toBe(t.dossiers);
    for (const unit of byUnit.keys()) expect(UNITS).toContain(unit);
    const byChannel = countBy(plan.dossiers, (d) => d.channel);
    expect(byChannel.get('online')).toBe(t.online);
    expect(sum(byChannel.values())).toBe(t.dossiers);
    expect(byChannel.get('online')! / t.dossiers).toBeCloseTo(ARTICLE_FIGURES.shareOnline, 2);
    // Every agent files at least one dossier; only agent dossiers name one.
    const agents = countBy(
      plan.dossiers.filter((d) => d.channel === 'agent'),
      (d) => d.agent!,
    );
    expect(agents.size).toBe(t.agents);
    expect(sum(agents.values())).toBe(byChannel.get('agent'));
    expect(plan.dossiers.filter((d) => d.channel !== 'agent' && d.agent !== undefined)).toHaveLength(0);

    for (const [stream, target] of [
      [plan.calls, t.hotlineCalls],
      [plan.appReports, t.appReports],
      [plan.appAccounts, t.newAppAccounts],
      [plan.members, t.partyMembers],
      [plan.payments, t.partyFeeTransactions],
    ] as const) {
      expect(stream).toHaveLength(target);
      expect(sum(countBy(stream, (s) => s.day).values())).toBe(target);
      expect(sum(countBy(stream, (s) => s.unitCode).values())).toBe(target);
      for (const slot of stream) expect(slot.day).toBeGreaterThanOrEqual(0);
      for (const slot of stream) expect(slot.day).toBeLessThan(PERIOD_DAYS);
    }
    // At full scale every unit has dossiers, members and reports.
    if (scale === 1) {
      expect(byUnit.size).toBe(126);
      expect(countBy(plan.members, (m) => m.unitCode).size).toBe(126);
    }
  });

  it('has every payment made by a member of its unit registered that day or before', () => {
    const plan = planCity15Days({ seed: 7, scale: 0.05, units: UNITS, now: NOW });
    for (const payment of plan.payments) {
      const member = plan.members[payment.member]!;
      expect(member.unitCode).toBe(payment.unitCode);
      expect(member.day).toBeLessThanOrEqual(payment.day);
    }
  });

  it('is the same plan for the same seed, and another for another seed', () => {
    const a = planCity15Days({ seed: 42, scale: 0.01, units: UNITS, now: NOW });
    const b = planCity15Days({ seed: 42, scale: 0.01, units: UNITS, now: NOW });
    const c = planCity15Days({ seed: 43, scale: 0.01, units: UNITS, now: NOW });
    expect(b).toEqual(a);
    expect(c.dossiers).not.toEqual(a.dossiers);
    expect(c.targets).toEqual(a.targets);
  });

  it('puts every instant on its Hanoi day, in the past', () => {
    const plan = planCity15Days({ seed: 1, scale: 0.01, units: UNITS, now: NOW });
    for (const day of [0, 7, 14]) {
      for (const fraction of [0, 0.5, 0.999]) {
        const at = instantOn(plan, day, fraction, NOW);
        const hanoi = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
        expect(hanoi).toBe(plan.days[day]);
        expect(at.getTime()).toBeLessThan(NOW.getTime());
      }
    }
    // Just after midnight in Hanoi: today's instants are the minutes since.
    const early = new Date('2026-11-29T17:10:00Z');
    const today = planCity15Days({ seed: 1, scale: 0.01, units: UNITS, now: early });
    const at = instantOn(today, 14, 0.5, early);
    expect(at.getTime()).toBeLessThan(early.getTime());
    expect(at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-29T17:00:00Z'));
  });
});
