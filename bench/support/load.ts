// Load shapes shared by the benchmarks: autocannon's closed loop, and an open loop at a steady rate.
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

export function runAutocannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolvePromise, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolvePromise(result)));
  });
}

export interface LoadSummary {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  requests: number;
  non_2xx: number;
  errors: number;
  timeouts: number;
}

export function autocannonSummary(result: autocannon.Result): LoadSummary {
  return {
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The value at quantile `q` (0..1) of ascending `sorted`, rounded to the millisecond. */
export function quantile(sorted: number[], q: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
}

export interface PacedOptions {
  url: string;
  rate: number;
  seconds: number;
  /** At most this many keep-alive sockets. */
  connections: number;
  headers: Record<string, string>;
  body: () => string;
}

/**
 * Open-loop load at a steady rate: one request every 1/rate s (arrivals do not wait for answers,
 * like desks), over at most `connections` keep-alive sockets. Latency counts from the moment a
 * request was due, so time spent queued for a socket counts too. autocannon's own rate limit is not
 * used: it sends each connection's quota back to back at the start of every second (a burst at full
 * speed, then idle), and its coordinated-omission correction takes 1/rate seconds as milliseconds,
 * filling the histogram with synthetic samples.
 */
export async function runPaced(options: PacedOptions): Promise<LoadSummary> {
  const { rate, headers, body } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const total = rate * options.seconds;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const send = (dueAt: number) => {
    const payload = body();
    const done = new Promise<void>((resolveSend) => {
      const request = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - dueAt);
            if ((response.statusCode ?? 0) >= 300) non2xx += 1;
            resolveSend();
          });
        },
      );
      request.on('error', () => {
        errors += 1;
        resolveSend();
      });
      request.end(payload);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  await new Promise<void>((resolveTicks) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (sent < total && started + (sent * 1000) / rate <= now) {
        send(started + (sent * 1000) / rate);
        sent += 1;
      }
      if (sent >= total) {
        clearInterval(timer);
        resolveTicks();
      }
    }, 2);
  });
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(latencies.length / elapsedSeconds),
    p50_ms: quantile(latencies, 0.5),
    p99_ms: quantile(latencies, 0.99),
    max_ms: Math.round(latencies[latencies.length - 1] ?? 0),
    requests: latencies.length,
    non_2xx: non2xx,
    errors,
    timeouts: 0,
  };
}
