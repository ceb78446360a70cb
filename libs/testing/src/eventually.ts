export interface EventuallyOptions {
  /** Give up after this long; the last failure is rethrown with the elapsed time. */
  timeoutMs?: number;
  /** Pause between probes. */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns without throwing, instead of sleeping for a guessed time.
 * Every wait in an integration test has a bound, so a broken system fails the test rather than hanging CI.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const started = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - started >= timeoutMs) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      const failure = new Error(`eventually: gave up after ${timeoutMs} ms: ${reason}`);
      if (lastError instanceof Error) failure.stack = `${failure.message}\n${lastError.stack ?? ''}`;
      throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
