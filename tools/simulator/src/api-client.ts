/** What the demo measured of its own requests. */
export class RequestStats {
  requests = 0;
  retriesAfter429 = 0;
  retriesAfterFailure = 0;
  readonly latenciesMs: number[] = [];

  percentile(p: number): number | null {
    if (this.latenciesMs.length === 0) return null;
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  }
}

/** An accepted write: what a fault scenario checks is in the service's database afterwards. */
export interface AcceptedRequest {
  method: 'POST';
  url: string;
  status: number;
  /** The resource's id and version in the answer, when it has them. */
  id?: string;
  version?: number;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A refusal or failure the caller reports: status and the problem's type (or title). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    message: string,
    /** The first field problem of a 400, e.g. `transitions[2].at`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Waits `ms`, or less when `signal` aborts; its listener goes with the wait. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * One abort signal per request (or retry wait), all aborted when the run's signal aborts. fetch
 * (undici) adds an abort listener to the signal it is given and removes it only when the request is
 * garbage-collected: handing it the run's one signal piled up thousands of listeners there (and a
 * MaxListenersExceededWarning per request beyond 1,500). Here the run's signal has one listener
 * however many requests are in flight; each request's own signal takes fetch's listeners and goes
 * with the request.
 */
export class RequestSignals {
  private readonly live = new Set<AbortController>();

  constructor(private readonly run?: AbortSignal) {
    run?.addEventListener(
      'abort',
      () => {
        for (const controller of this.live) controller.abort(run.reason);
        this.live.clear();
      },
      { once: true },
    );
  }

  /** The requests and waits not yet released. */
  get inFlight(): number {
    return this.live.size;
  }

  /** A signal for one request; `release` once its response has been read (or it failed). */
  open(): { signal?: AbortSignal; release(): void } {
    if (!this.run) return { release: () => undefined };
    const controller = new AbortController();
    if (this.run.aborted) controller.abort(this.run.reason);
    else this.live.add(controller);
    return { signal: controller.signal, release: () => this.live.delete(controller) };
  }

  /** Waits `ms`, or less when the run aborts. */
  async sleep(ms: number): Promise<void> {
    const wait = this.open();
    try {
      await sleep(ms, wait.signal);
    } finally {
      wait.release();
    }
  }
}

/**
 * JSON over HTTP to one service, with the retries a well-behaved client makes: 429 (rate limit)
 * waits for Retry-After or an exponential backoff with jitter; 502/503/504 and connection errors
 * are retried too. Every POST carries the caller's Idempotency-Key, so a retried POST that did
 * reach the service is answered with the first response, never applied twice.
 */
export class ApiClient {
  private readonly signals: RequestSignals;

  constructor(
    readonly baseUrl: string,
    private readonly stats: RequestStats,
    private readonly options: {
      maxAttempts?: number;
      signal?: AbortSignal;
      /** An undici dispatcher for every request (e.g. an Agent bound to one local address). */
      dispatcher?: unknown;
      /** Every accepted (2xx) POST, once, after its answer was read (the fault suite's record of them). */
      onAccepted?: (accepted: AcceptedRequest) => void;
    } = {},
  ) {
    this.signals = new RequestSignals(options.signal);
  }

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiResponse<T>> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      const request = this.signals.open();
      let response: Response;
      try {
        this.stats.requests += 1;
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
          ...(this.options.dispatcher ? ({ dispatcher: this.options.dispatcher } as object) : {}),
        });
      } catch (error) {
        request.release();
        if (this.options.signal?.aborted || attempt >= maxAttempts) throw error;
        this.stats.retriesAfterFailure += 1;
        await this.signals.sleep(backoff(attempt));
        continue;
      }
      let text: string;
      try {
        text = await response.text();
      } finally {
        request.release();
      }
      this.stats.latenciesMs.push(performance.now() - started);
      if (response.status === 429 && attempt < maxAttempts) {
        this.stats.retriesAfter429 += 1;
        const retryAfter = Number(response.headers.get('retry-after'));
        await this.signals.sleep(
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt),
        );
        continue;
      }
      if ([502, 503, 504].includes(response.status) && attempt < maxAttempts) {
        this.stats.retriesAfterFailure += 1;
        await this.signals.sleep(backoff(attempt));
        continue;
      }
      const parsed = text ? (JSON.parse(text) as T) : ({} as T);
      if (response.status >= 400) {
        const problem = parsed as {
          type?: string;
          title?: string;
          detail?: string;
          errors?: { field: string; reason: string }[];
        };
        const type =
          problem.type && problem.type !== 'about:blank' ? problem.type : (problem.title ?? 'error');
        throw new ApiError(
          response.status,
          type,
          `${method} ${path}: ${response.status} ${problem.detail ?? problem.title ?? ''}${
            problem.errors?.length
              ? ` (${problem.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')})`
              : ''
          }`,
          problem.errors?.[0]?.field,
        );
      }
      if (method === 'POST') {
        const { id, version } = parsed as { id?: unknown; version?: unknown };
        this.options.onAccepted?.({
          method,
          url: `${this.baseUrl}${path}`,
          status: response.status,
          ...(typeof id === 'string' ? { id } : {}),
          ...(typeof version === 'number' ? { version } : {}),
        });
      }
      return { status: response.status, body: parsed };
    }
  }
}

/** 200 ms, 400 ms, … capped at 5 s, with ±50% jitter so that many clients do not retry in step. */
function backoff(attempt: number): number {
  const base = Math.min(5_000, 200 * 2 ** (attempt - 1));
  return base * (0.5 + Math.random());
}

/** Only the local stack: the demo signs tokens with the development key and must never aim elsewhere. */
export function assertLocalTarget(url: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${option}: not a URL: ${url}`);
  }
  if (!['127.0.0.1', 'localhost'].includes(parsed.hostname) || parsed.protocol !== 'http:') {
    throw new Error(`${option}: the demo only targets http://127.0.0.1 (got ${url})`);
  }
  return url.replace(/\/+$/, '');
}
