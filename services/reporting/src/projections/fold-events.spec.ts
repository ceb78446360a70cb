import {
  allFixtures,
  buildEvent,
  type CloudEvent,
  DossierReceivedV1,
  DossierResolvedV1,
  loadFixture,
  PartyFeePaidV1,
  PartyFeePaymentReversedV1,
  uuidv7,
} from '@backbone/contracts';
import { generateDossierEvents, seededRandom } from '../../test/builders/generate-dossier-events';
import { type CounterDelta, foldEvents } from './fold-events';
import { hanoiDayOf } from '@backbone/calendar';
import {
  exactPercentile,
  HISTOGRAM_RELATIVE_ERROR,
  histogramBucketOf,
  percentileFromHistogram,
} from './resolution-time-histogram';

const UNITS = ['00070', '00103', '00466'];

function received(overrides: Partial<DossierReceivedV1> & { unitcode?: string; sequence?: number } = {}) {
  const fixture = loadFixture(DossierReceivedV1);
  const dossierId = overrides.dossierId ?? uuidv7();
  const { unitcode = '00070', sequence = 1, ...data } = overrides;
  return buildEvent(DossierReceivedV1, {
    subject: dossierId,
    unitcode,
    sequence,
    data: { ...fixture.data, ...data, dossierId },
  });
}

function resolved(dossierId: string, sequence: number, overrides: Partial<DossierResolvedV1> = {}) {
  const fixture = loadFixture(DossierResolvedV1);
  return buildEvent(DossierResolvedV1, {
    subject: dossierId,
    unitcode: '00070',
    sequence,
    data: {
      ...fixture.data,
      requiresSignature: false,
      resultDocumentSha256: undefined,
      ...overrides,
      dossierId,
    },
  });
}

/** Adds counter rows of several folds: what the database holds after several batches. */
function sumCounters(...deltas: CounterDelta[][]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of deltas.flat()) {
    const key = [row.unitCode, row.day, row.metric, row.dim1, row.dim2, row.dim3].join('|');
    totals.set(key, (totals.get(key) ?? 0) + row.value);
  }
  for (const [key, value] of totals) if (value === 0) totals.delete(key);
  return totals;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('hanoiDayOf', () => {
  it('puts 17:00 UTC and later on the next Hanoi day', () => {
    expect(hanoiDayOf('2025-07-14T16:59:59Z')).toBe('2025-07-14');
    expect(hanoiDayOf('2025-07-14T17:00:00Z')).toBe('2025-07-15');
  });
});

describe('foldEvents', () => {
  it('pre-aggregates: one counter row per key however many events share it', () => {
    const events = [1, 2, 3].map(() => received({ channel: 'online', receivedAt: '2025-07-15T02:00:00Z' }));
    const delta = foldEvents(events);
    const receivedRows = delta.counters.filter((row) => row.metric === 'dossier.received');
    expect(receivedRows).toEqual([
      {
        unitCode: '00070',
        day: '2025-07-15',
        metric: 'dossier.received',
        dim1: 'online',
        dim2: 'full',
        dim3: '2.000635',
        value: 3,
      },
    ]);
    expect(delta.counters.find((row) => row.metric === 'dossier.digitised')?.value).toBe(3);
    expect(delta.dossierStates).toHaveLength(3);
    expect(delta.folded).toBe(3);
  });

  it('counts each event on the Hanoi day of its own business time, not the day it arrives', () => {
    const lateEvening = received({ receivedAt: '2025-07-14T18:30:00Z' });
    const morning = received({ receivedAt: '2025-07-14T01:00:00Z' });
    const days = foldEvents([lateEvening, morning])
      .counters.filter((row) => row.metric === 'dossier.received')
      .map((row) => row.day);
    expect(days).toEqual(['2025-07-14', '2025-07-15']);
  });

  it('splits resolutions into on time and late, with working minutes summed and bucketed', () => {
    const a = uuidv7();
    const b = uuidv7();
    const delta = foldEvents([
      resolved(a, 3, { onTime: true, workingMinutesTaken: 100 }),
      resolved(b, 3, { onTime: false, workingMinutesTaken: 900 }),
    ]);
    const byMetric = (metric: string) => delta.counters.filter((row) => row.metric === metric);
    expect(byMetric('dossier.resolved').map((r) => [r.dim2, r.value])).toEqual([
      ['late', 1],
      ['on-time', 1],
    ]);
    expect(
      byMetric('dossier.resolve-minutes')
        .map((r) => r.value)
        .sort((x, y) => x - y),
    ).toEqual([100, 900]);
    expect(byMetric('dossier.resolve-minutes-bucket').map((r) => Number(r.dim1))).toEqual(
      [histogramBucketOf(100), histogramBucketOf(900)].sort().map(Number),
    );
  });

  it('subtracts reversed party-fee payments from the VND collected', () => {
    const memberId = uuidv7();
    const paymentId = uuidv7();
    const paid = buildEvent(PartyFeePaidV1, {
      subject: paymentId,
      unitcode: '00103',
      sequence: 1,
      data: {
        paymentId,
        memberId,
        period: '2025-07',
        amountVnd: 30000,
        channel: 'online',
        paidAt: '2025-07-10T03:00:00Z',
      },
    });
    const reversed = buildEvent(PartyFeePaymentReversedV1, {
      subject: paymentId,
      unitcode: '00103',
      sequence: 2,
      data: {
        paymentId,
        memberId,
        period: '2025-07',
        amountVnd: 30000,
        reversedAt: '2025-07-10T05:00:00Z',
        reason: 'Thu trùng',
      },
    });
    const vnd = foldEvents([paid, reversed])
      .counters.filter((row) => row.metric === 'party-fee.collected-vnd')
      .reduce((sum, row) => sum + row.value, 0);
    expect(vnd).toBe(0);
  });

  it("merges a dossier's events of one batch into one state patch in sequence order", () => {
    const first = received({ sequence: 1, dueAt: '2025-07-18T02:00:00Z' });
    const done = resolved(first.subject, 2, {
      resolvedAt: '2025-07-16T02:00:00Z',
      dueAt: '2025-07-18T02:00:00Z',
    });
    const [patch] = foldEvents([done, first]).dossierStates;
    expect(patch).toMatchObject({
      dossierId: first.subject,
      unitCode: '00070',
      lastSequence: 2,
      status: 'resolved',
      resolvedAt: '2025-07-16T02:00:00Z',
      procedureCode: '2.000635',
      channel: 'online',
      onlineLevel: 'full',
    });
  });

  it('ignores event types no projection uses, and counts them', () => {
    const delta = foldEvents([loadFixture('certificate.issued.v1') as CloudEvent]);
    expect(delta).toMatchObject({ counters: [], dossierStates: [], folded: 0, ignored: 1 });
  });

  it('folds every catalogued event fixture without throwing', () => {
    const delta = foldEvents(allFixtures());
    expect(delta.folded + delta.ignored).toBe(allFixtures().length);
    // Types no figure of the reports uses: certificates (issued, revoked, expiring), the official
    // calendar, audit checkpoints, party-fee's adjustments, transfers and arrears flags (issue 15), and
    // hotline's steps that change no count of the reports (work started, transfer, escalation,
    // duplicate link, an inquiry answered on a call: issue 14); and the service kit's sample
    // `*-item.recorded.v1` events of a service not built yet.
    const ignored = allFixtures()
      .filter((fixture) => foldEvents([fixture]).ignored === 1)
      .map((fixture) => fixture.type)
      .filter((type) => !type.endsWith('-item.recorded.v1'))
      .sort();
    expect(ignored).toEqual([
      'audit.checkpoint.v1',
      'calendar.official-year-set.v1',
      'call.inquiry-answered.v1',
      'certificate.expiring.v1',
      'certificate.issued.v1',
      'certificate.revoked.v1',
      'party-fee.assessment-adjusted.v1',
      'party-member.arrears-flagged.v1',
      'party-member.transferred.v1',
      'report.duplicate-linked.v1',
      'report.escalated.v1',
      'report.transferred.v1',
      'report.work-started.v1',
    ]);
  });

  it('is deterministic: any order and any batch split give the same totals and the same rows', () => {
    const events = generateDossierEvents({ targetEvents: 3000, unitCodes: UNITS, seed: 1 });
    const whole = foldEvents(events);
    expect(foldEvents(shuffled(events, 9))).toEqual(whole);

    for (const size of [1, 7, 250]) {
      const parts: CounterDelta[][] = [];
      for (let i = 0; i < events.length; i += size)
        parts.push(foldEvents(events.slice(i, i + size)).counters);
      expect(sumCounters(...parts)).toEqual(sumCounters(whole.counters));
    }
  });
});

describe('resolution-time histogram', () => {
  it('estimates p90 from merged bucket counts within the stated relative error', () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 5000 }, () => Math.floor(random() ** 2 * 5000));
    // Two "units" merged by adding their bucket counts.
    const counts = new Map<number, number>();
    for (const value of values) {
      const bucket = histogramBucketOf(value);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    const exact = exactPercentile(values, 0.9)!;
    const estimate = percentileFromHistogram(counts, 0.9)!;
    expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR + 1e-9);
  });

  it('keeps 0 apart and has no values for an empty histogram', () => {
    expect(histogramBucketOf(0)).toBe(0);
    expect(percentileFromHistogram(new Map([[0, 5]]), 0.9)).toBe(0);
    expect(percentileFromHistogram(new Map(), 0.9)).toBeNull();
  });
});
