import { laneOf, OUTBOX_LANES } from './lanes';

describe('laneOf', () => {
  it('is stable for a key and within range', () => {
    expect(laneOf('01a21614-8186-7321-8c8d-91d5ea7f7605')).toBe(
      laneOf('01a21614-8186-7321-8c8d-91d5ea7f7605'),
    );
    for (let i = 0; i < 1000; i += 1) {
      const lane = laneOf(`key-${i}`);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(OUTBOX_LANES);
    }
  });

  it('spreads keys over the lanes', () => {
    const used = new Set(Array.from({ length: 2000 }, (_, i) => laneOf(`dossier-${i}`)));
    expect(used.size).toBe(OUTBOX_LANES);
  });
});
