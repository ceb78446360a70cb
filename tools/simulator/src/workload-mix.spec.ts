import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SeededRandom } from './seeded-random';
import { communeLevelUnitCodes, type DossierUnit } from './units';
import { addWorkingMinutes, isWorkingDay } from './working-hours';
import {
  type DemoProcedure,
  LATE_RATE,
  ONLINE_REFUSAL_RATE,
  ONLINE_SHARE_OF_RECEIVED,
  onlineSubmissionShare,
  WorkloadMix,
} from './workload-mix';

// Hanoi's 126 wards and communes as GET /units lists them: the dossier service's seed, read as data.
const HANOI_UNIT_CODES = communeLevelUnitCodes(
  (
    JSON.parse(
      readFileSync(
        resolve(__dirname, '../../../services/dossier/src/reference-data/hanoi-units-2025.json'),
        'utf8',
      ),
    ) as { units: DossierUnit[] }
  ).units,
);

// The dossier service's seeded catalogue (services/dossier/src/reference-data/procedures.seed.json),
// as GET /procedures returns it; copied because a service may not import another's code.
const CATALOGUE: DemoProcedure[] = [
  {
    code: '1.001193',
    field: 'Hộ tịch',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: '1.000894',
    field: 'Hộ tịch',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: '1.000656',
    field: 'Hộ tịch',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: '1.004859',
    field: 'Hộ tịch',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 3 },
  },
  {
    code: '1.004873',
    field: 'Hộ tịch',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 3 },
  },
  {
    code: '1.004884',
    field: 'Hộ tịch',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 5 },
  },
  {
    code: '2.000635',
    field: 'Hộ tịch',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: '2.000815',
    field: 'Chứng thực',
    onlineLevel: 'partial',
    feeVnd: 2000,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: '2.000884',
    field: 'Chứng thực',
    onlineLevel: 'none',
    feeVnd: 10000,
    requiresSignature: true,
    statutoryTime: { unit: 'same-day' },
  },
  {
    code: 'HN-CT-HD',
    field: 'Chứng thực',
    onlineLevel: 'none',
    feeVnd: 50000,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 2 },
  },
  {
    code: '1.004222',
    field: 'Cư trú',
    onlineLevel: 'full',
    feeVnd: 20000,
    requiresSignature: false,
    statutoryTime: { unit: 'working-days', value: 7 },
  },
  {
    code: '1.004194',
    field: 'Cư trú',
    onlineLevel: 'full',
    feeVnd: 15000,
    requiresSignature: false,
    statutoryTime: { unit: 'working-days', value: 3 },
  },
  {
    code: '1.001612',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 3 },
  },
  {
    code: '2.000720',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    onlineLevel: 'full',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 3 },
  },
  {
    code: '1.001776',
    field: 'Bảo trợ xã hội',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 10 },
  },
  {
    code: '1.013225',
    field: 'Hoạt động xây dựng',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 15 },
  },
  {
    code: '1.012753',
    field: 'Đất đai',
    onlineLevel: 'partial',
    feeVnd: 0,
    requiresSignature: true,
    statutoryTime: { unit: 'working-days', value: 20 },
  },
] as DemoProcedure[];

const NOW = new Date('2026-11-26T04:00:00Z'); // a Thursday, 11:00 in Hanoi
const CIVIL_AND_CERTIFICATION = new Set(['Hộ tịch', 'Chứng thực']);
const share = (part: number, whole: number) => part / whole;

describe('the demo workload mix', () => {
  const mixOf = (seed: number, procedures = CATALOGUE) =>
    new WorkloadMix(new SeededRandom(seed), { units: HANOI_UNIT_CODES, procedures, now: NOW });

  it('files 14% of received dossiers online, weights civil status and certification, and reaches every unit', () => {
    const mix = mixOf(42);
    const plans = Array.from({ length: 20_000 }, () => mix.live());
    const received = plans.filter((p) => p.outcome !== 'refused');
    const online = received.filter((p) => p.channel === 'online');
    expect(share(online.length, received.length)).toBeCloseTo(ONLINE_SHARE_OF_RECEIVED, 2);
    const submittedOnline = plans.filter((p) => p.channel === 'online');
    expect(share(submittedOnline.length - online.length, submittedOnline.length)).toBeCloseTo(
      ONLINE_REFUSAL_RATE,
      1,
    );
    const civil = plans.filter((p) => CIVIL_AND_CERTIFICATION.has(p.procedure.field));
    expect(share(civil.length, plans.length)).toBeGreaterThan(0.67);
    expect(share(civil.length, plans.length)).toBeLessThan(0.73);
    // Only procedures offered online are submitted online.
    expect(submittedOnline.every((p) => p.procedure.onlineLevel !== 'none')).toBe(true);
    const desk = plans.filter((p) => p.channel !== 'online');
    expect(share(desk.filter((p) => p.channel === 'direct').length, desk.length)).toBeCloseTo(0.72, 1);
    expect(share(desk.filter((p) => p.channel === 'agent').length, desk.length)).toBeCloseTo(0.2, 1);
    expect(new Set(plans.slice(0, 126).map((p) => p.unitCode)).size).toBe(126);
    expect(new Set(plans.map((p) => p.procedure.code)).size).toBe(CATALOGUE.length);
  });

  it('moves most live dossiers to a returned result, through the state machine’s order', () => {
    const mix = mixOf(7);
    const plans = Array.from({ length: 10_000 }, () => mix.live());
    const received = plans.filter((p) => p.outcome !== 'refused');
    expect(share(received.filter((p) => p.outcome === 'returned').length, received.length)).toBeCloseTo(
      0.7,
      1,
    );
    const supplements = received.filter((p) => p.steps.some((s) => s.action === 'request-supplement'));
    expect(share(supplements.length, received.length)).toBeGreaterThan(0.08);
    expect(share(supplements.length, received.length)).toBeLessThan(0.16);
    for (const plan of plans.slice(0, 500)) {
      const actions = plan.steps.map((s) => s.action);
      if (plan.channel === 'online') expect(['accept', 'refuse']).toContain(actions[0]);
      else expect(actions[0]).not.toBe('accept');
      const resolve = actions.indexOf('resolve');
      if (resolve >= 0) expect(actions.indexOf('start-processing')).toBeLessThan(resolve);
      if (plan.procedure.feeVnd > 0 && resolve >= 0) expect(actions).toContain('record-payment');
      if (plan.procedure.requiresSignature && resolve >= 0)
        expect(plan.steps[resolve]!.body.resultDocumentSha256).toMatch(/^[0-9a-f]{64}$/);
      if (plan.outcome === 'stopped')
        expect(plan.steps.at(-1)).toMatchObject({ action: 'stop', as: 'unit-head' });
    }
  });

  it('plans a 13-day backlog in the past: working-day receipts, ordered times, mostly on time, some late', () => {
    const mix = mixOf(11);
    const plans = Array.from({ length: 10_000 }, () => mix.historical());
    for (const plan of plans) {
      const receivedAt = Date.parse(plan.receivedAt);
      expect(isWorkingDay(new Date(receivedAt))).toBe(true);
      expect(NOW.getTime() - receivedAt).toBeLessThanOrEqual(14 * 86_400_000);
      expect(receivedAt).toBeLessThan(NOW.getTime());
      let previous = receivedAt;
      for (const transition of plan.transitions) {
        const at = Date.parse(transition.at);
        expect(at).toBeGreaterThanOrEqual(previous);
        expect(at).toBeLessThan(NOW.getTime());
        previous = at;
      }
      if (plan.submittedAt) expect(Date.parse(plan.submittedAt)).toBeLessThanOrEqual(receivedAt);
    }
    const resolved = plans.filter((p) => p.outcome === 'on-time' || p.outcome === 'late');
    const late = resolved.filter((p) => p.outcome === 'late');
    expect(share(resolved.length, plans.length)).toBeGreaterThan(0.5);
    expect(share(late.length, resolved.length)).toBeGreaterThan(LATE_RATE / 2);
    expect(share(late.length, resolved.length)).toBeLessThan(LATE_RATE * 1.5);
    expect(share(plans.filter((p) => p.channel === 'online').length, plans.length)).toBeCloseTo(
      ONLINE_SHARE_OF_RECEIVED,
      1,
    );
    // Signed results are imported resolved, never returned: the signature is the signing service's.
    expect(
      plans.some(
        (p) => p.procedure.requiresSignature && p.transitions.some((t) => t.action === 'return-result'),
      ),
    ).toBe(false);
    expect(plans.some((p) => p.transitions.some((t) => t.action === 'issue-apology'))).toBe(true);
  });

  it('is reproducible from its seed', () => {
    const a = mixOf(2025);
    const b = mixOf(2025);
    const c = mixOf(2026);
    const run = (mix: WorkloadMix) => [...Array.from({ length: 50 }, () => mix.live()), mix.historical()];
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
  });

  it('makes applicants the dossier service accepts: 12-digit national IDs with a province and a past birth year', () => {
    const mix = mixOf(3);
    for (const plan of Array.from({ length: 2_000 }, () => mix.live())) {
      const id = plan.applicant.nationalId;
      expect(id).toMatch(/^\d{12}$/);
      const birthYear = 1900 + Math.floor(Number(id[3]) / 2) * 100 + Number(id.slice(4, 6));
      expect(birthYear).toBeLessThan(NOW.getUTCFullYear());
      expect(birthYear).toBeGreaterThanOrEqual(1945);
      expect(plan.applicant.phone).toMatch(/^09\d{8}$/);
    }
  });

  it('works with the procedures that need no signature only (no signing service)', () => {
    const unsigned = CATALOGUE.filter((p) => !p.requiresSignature);
    const mix = mixOf(5, unsigned);
    const plans = Array.from({ length: 2_000 }, () => mix.live());
    expect(new Set(plans.map((p) => p.procedure.code))).toEqual(new Set(unsigned.map((p) => p.code)));
  });

  it('computes the online submission share that leaves 14% online after refusals', () => {
    const p = onlineSubmissionShare(0.14, 0.08);
    expect((p * (1 - 0.08)) / (1 - p * 0.08)).toBeCloseTo(0.14, 10);
  });

  it('counts office time Monday to Friday, 08:00–12:00 and 13:00–17:00 in Hanoi', () => {
    // Friday 16:00 Hanoi + 2 working hours = Monday 09:00 Hanoi.
    expect(addWorkingMinutes(new Date('2026-11-20T09:00:00Z'), 120).toISOString()).toBe(
      '2026-11-23T02:00:00.000Z',
    );
    // 11:30 + 1 h = 13:30 (lunch does not count).
    expect(addWorkingMinutes(new Date('2026-11-24T04:30:00Z'), 60).toISOString()).toBe(
      '2026-11-24T06:30:00.000Z',
    );
  });
});
