import { getEventListeners } from 'node:events';
import { RequestSignals } from './api-client';

describe('RequestSignals', () => {
  it("keeps one listener on the run's signal however many requests are in flight, and none after release", () => {
    const run = new AbortController();
    const signals = new RequestSignals(run.signal);
    const requests = Array.from({ length: 2_000 }, () => signals.open());
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    expect(signals.inFlight).toBe(2_000);
    requests.forEach((request) => request.release());
    expect(signals.inFlight).toBe(0);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
  });

  it('aborts the requests and waits in flight when the run aborts, with its reason', async () => {
    const run = new AbortController();
    const signals = new RequestSignals(run.signal);
    const inFlight = signals.open();
    const released = signals.open();
    released.release();
    const waiting = signals.sleep(60_000);
    run.abort(new Error('drain limit'));
    await waiting;
    expect(inFlight.signal?.aborted).toBe(true);
    expect((inFlight.signal?.reason as Error).message).toBe('drain limit');
    expect(released.signal?.aborted).toBe(false);
    expect(signals.open().signal?.aborted).toBe(true);
  });

  it('gives no signal when the run has none', () => {
    expect(new RequestSignals(undefined).open().signal).toBeUndefined();
  });
});
