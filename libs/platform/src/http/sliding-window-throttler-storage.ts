import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Counter {
  /** Start of the current window (ms); windows are `ttl` long, aligned to the key's first hit. */
  windowStart: number;
  ttl: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/**
 * Rate-limit counters in O(1) per request: a sliding window estimated from two fixed windows
 * (`previous × the part of it still inside the sliding window + current`).
 *
 * @nestjs/throttler's default storage keeps one timestamp per hit and copies the whole list on every
 * request, so its cost grows with the limit: behind a gateway, or with a generous limit, all traffic
 * shares a key and a request costs O(requests in the window). The estimate is exact until the first
 * window ends (so "the 11th request within a minute" is refused exactly), and afterwards assumes the
 * previous window's hits were spread evenly, which is the usual approximation (Cloudflare, nginx).
 * Semantics otherwise follow the default storage: the (limit + 1)th hit is refused and the key stays
 * blocked for `blockDuration`; refused hits are not counted.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly counters = new Map<string, Counter>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepIntervalMs = 60_000,
  ) {
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const counterKey = `${throttlerName}\u0000${key}`;
    let counter = this.counters.get(counterKey);
    if (!counter || counter.ttl !== ttl) {
      counter = { windowStart: now, ttl, current: 0, previous: 0, blockedUntil: 0 };
      this.counters.set(counterKey, counter);
    }
    const elapsedWindows = Math.floor((now - counter.windowStart) / ttl);
    if (elapsedWindows >= 1) {
      counter.previous = elapsedWindows === 1 ? counter.current : 0;
      counter.current = 0;
      counter.windowStart += elapsedWindows * ttl;
    }
    const timeToExpire = Math.ceil((counter.windowStart + ttl - now) / 1000);
    const estimate = (): number =>
      Math.floor((counter.previous * (counter.windowStart + ttl - now)) / ttl) + counter.current;

    if (counter.blockedUntil > now) {
      return {
        totalHits: estimate() + 1,
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: Math.ceil((counter.blockedUntil - now) / 1000),
      };
    }
    counter.current += 1;
    const totalHits = estimate();
    if (totalHits > limit) {
      // Refused hits do not count (as in the default storage), so a blocked client is not kept
      // blocked forever by its own retries.
      counter.current -= 1;
      if (blockDuration <= 0) {
        return { totalHits, timeToExpire, isBlocked: true, timeToBlockExpire: timeToExpire };
      }
      counter.blockedUntil = now + blockDuration;
      return {
        totalHits,
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: Math.ceil(blockDuration / 1000),
      };
    }
    return { totalHits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Forgets keys that have been idle for two windows and are not blocked. */
  sweep(): void {
    const now = this.now();
    for (const [key, counter] of this.counters) {
      if (counter.blockedUntil <= now && now - counter.windowStart >= 2 * counter.ttl) {
        this.counters.delete(key);
      }
    }
  }

  get size(): number {
    return this.counters.size;
  }

  /** The sweep timer is unref'd and never keeps a process alive; this stops it anyway. */
  close(): void {
    clearInterval(this.sweepTimer);
  }
}
