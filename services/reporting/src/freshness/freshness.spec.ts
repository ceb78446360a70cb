import { completeUpToOf, type LagSnapshot } from './freshness';

const measuredAt = '2025-07-15T03:00:00.000Z';
const lagOf = (partitions: { topic: string; partition: number; lag: number }[]): LagSnapshot => ({
  measuredAt,
  total: partitions.reduce((sum, p) => sum + p.lag, 0),
  partitions,
});

describe('completeUpToOf', () => {
  const applied = [
    { topic: 'dossier.events.v1', partition: 0, maxEventTime: '2025-07-15T02:50:00.000Z' },
    { topic: 'dossier.events.v1', partition: 1, maxEventTime: '2025-07-15T02:10:00.000Z' },
    { topic: 'dossier.events.v1', partition: 2, maxEventTime: '2025-07-15T02:30:00.000Z' },
    { topic: 'payment.events.v1', partition: 0, maxEventTime: '2025-07-15T01:00:00.000Z' },
  ];

  it('is the measurement time when no partition has records waiting', () => {
    expect(
      completeUpToOf(
        applied,
        lagOf([
          { topic: 'dossier.events.v1', partition: 0, lag: 0 },
          { topic: 'payment.events.v1', partition: 0, lag: 0 },
        ]),
      ),
    ).toBe(measuredAt);
  });

  it('is the oldest newest-applied time among the lagging partitions only', () => {
    const lag = lagOf([
      { topic: 'dossier.events.v1', partition: 0, lag: 12 },
      { topic: 'dossier.events.v1', partition: 1, lag: 0 }, // caught up: its older time does not limit
      { topic: 'dossier.events.v1', partition: 2, lag: 3 },
      { topic: 'payment.events.v1', partition: 0, lag: 0 }, // caught up, oldest of all
    ]);
    expect(completeUpToOf(applied, lag)).toBe('2025-07-15T02:30:00.000Z');
  });

  it('a partition of the same topic lagging behind limits it even when the others are ahead', () => {
    const lag = lagOf([
      { topic: 'dossier.events.v1', partition: 0, lag: 0 },
      { topic: 'dossier.events.v1', partition: 1, lag: 40 },
      { topic: 'dossier.events.v1', partition: 2, lag: 0 },
    ]);
    expect(completeUpToOf(applied, lag)).toBe('2025-07-15T02:10:00.000Z');
  });

  it('gives no bound while a lagging partition has nothing applied of its own', () => {
    const lag = lagOf([
      { topic: 'dossier.events.v1', partition: 0, lag: 2 },
      { topic: 'dossier.events.v1', partition: 3, lag: 5 },
    ]);
    expect(completeUpToOf(applied, lag)).toBeNull();
    // A row written before positions were passed (partition -1) does not stand for partition 3.
    const legacy = [...applied, { topic: 'dossier.events.v1', partition: -1, maxEventTime: measuredAt }];
    expect(completeUpToOf(legacy, lag)).toBeNull();
  });

  it('before the first lag measurement, every applied partition limits it', () => {
    expect(completeUpToOf(applied, null)).toBe('2025-07-15T01:00:00.000Z');
    expect(completeUpToOf([], null)).toBeNull();
  });

  it('compares times as instants, not as strings', () => {
    const mixed = [
      { topic: 't', partition: 0, maxEventTime: '2025-07-15T02:00:00.000Z' },
      { topic: 't', partition: 1, maxEventTime: '2025-07-15T08:30:00.000+07:00' }, // 01:30Z, earlier
    ];
    expect(
      completeUpToOf(
        mixed,
        lagOf([
          { topic: 't', partition: 0, lag: 1 },
          { topic: 't', partition: 1, lag: 1 },
        ]),
      ),
    ).toBe('2025-07-15T08:30:00.000+07:00');
  });
});
