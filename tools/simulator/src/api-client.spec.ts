import { getEventListeners } from 'node:events';
import { requestSignal } from './api-client';

describe('requestSignal', () => {
  it('leaves no listener on the run signal once each request is released', () => {
    const run = new AbortController();
    const requests = Array.from({ length: 2_000 }, () => requestSignal(run.signal));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(2_000);
    requests.forEach((request) => request.release());
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('aborts the requests in flight when the run aborts, with its reason', () => {
    const run = new AbortController();
    const inFlight = requestSignal(run.signal);
    const released = requestSignal(run.signal);
    released.release();
    run.abort(new Error('drain limit'));
    expect(inFlight.signal?.aborted).toBe(true);
    expect((inFlight.signal?.reason as Error).message).toBe('drain limit');
    expect(released.signal?.aborted).toBe(false);
    expect(requestSignal(run.signal).signal?.aborted).toBe(true);
  });

  it('gives no signal when the run has none', () => {
    expect(requestSignal(undefined).signal).toBeUndefined();
  });
});
