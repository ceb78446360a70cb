import { SlidingWindowThrottlerStorage } from './sliding-window-throttler-storage';

describe('SlidingWindowThrottlerStorage', () => {
  let clock: number;
  let storage: SlidingWindowThrottlerStorage;
  const hit = (key = 'client-a', limit = 3, blockDuration = 60_000) =>
    storage.increment(key, 60_000, limit, blockDuration, 'default');

  beforeEach(() => {
    clock = 1_000_000;
    storage = new SlidingWindowThrottlerStorage(() => clock);
  });
  afterEach(() => storage.close());

  it('refuses exactly the (limit + 1)th hit in the first window and blocks for blockDuration', async () => {
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const third = await hit();
    expect(third).toMatchObject({ isBlocked: false, totalHits: 3 });
    const fourth = await hit();
    expect(fourth).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    clock += 30_000;
    expect((await hit()).isBlocked).toBe(true);
    expect((await hit('client-b')).isBlocked).toBe(false); // keys are separate
  });

  it('counts the previous window by the part of it still inside the sliding window', async () => {
    for (let i = 0; i < 3; i += 1) await hit('k', 4);
    clock += 60_000 + 30_000; // half-way through the next window: 3 × 0.5 → 1 counted
    expect(await hit('k', 4)).toMatchObject({ isBlocked: false, totalHits: 2 });
    expect(await hit('k', 4)).toMatchObject({ isBlocked: false, totalHits: 3 });
    expect(await hit('k', 4)).toMatchObject({ isBlocked: false, totalHits: 4 });
    expect((await hit('k', 4)).isBlocked).toBe(true);
  });

  it('forgets the past after two idle windows, and sweeps idle keys', async () => {
    for (let i = 0; i < 3; i += 1) await hit();
    clock += 120_000;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
    clock += 120_000;
    storage.sweep();
    expect(storage.size).toBe(0);
  });

  it('without a block duration refuses only while over the limit', async () => {
    for (let i = 0; i < 3; i += 1) await hit('k', 3, 0);
    expect((await hit('k', 3, 0)).isBlocked).toBe(true);
    clock += 120_000;
    expect((await hit('k', 3, 0)).isBlocked).toBe(false);
  });
});
