// `npm run bench:intake`: starts the dossier service as its own process on a fresh database and
// topic (or uses BENCH_URL with BENCH_TOKEN), then measures with autocannon, in one run:
//   1. a trivial authenticated route of the same service (GET /ping: HTTP, JWT, guards, no I/O);
//   2. intake (POST /dossiers) at full rate: requests/s and latency percentiles;
//   3. intake paced at 70% of that rate: p99.
// Prints the figures and writes bench/results/intake-latest.json. A measurement, not a test.
//
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL (server URL) when
// set (bench/infrastructure.ts); the first line of output says which. Env: BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 40),
// BENCH_SOURCE=1 (run the TypeScript sources under swc-node instead of the built services/dossier/dist —
// build first with `npx nx run-many -t build`), BENCH_CPU_PROF=<dir> (the service writes a .cpuprofile there),
// BENCH_PHASES (comma list of trivial, full, paced; default all), BENCH_LOG_LEVEL (default info).
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, get, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { importPKCS8, SignJWT } from 'jose';
import { Client } from 'pg';
import hanoiUnits from '../../services/dossier/src/reference-data/hanoi-units-2025.json';
import { runBenchmark } from '../infrastructure';

const repoRoot = resolve(__dirname, '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const FROM_SOURCE = process.env.BENCH_SOURCE === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const PHASES = new Set((process.env.BENCH_PHASES ?? 'trivial,full,paced').split(','));
const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const UNIT_CODES = hanoiUnits.units.map((unit) => unit.code);
// Valid national IDs (Hà Nội registration code 001, born 1990s): only the tail varies.
const nationalId = (i: number) => `0010990${String(i % 100_000).padStart(5, '0')}`;

function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** node:http rather than fetch: an undici fetch to a port nobody listens on yet can stall here. */
function isLive(url: string): Promise<boolean> {
  return new Promise((resolveLive) => {
    const request = get(url, (response) => {
      response.resume();
      resolveLive(response.statusCode === 200);
    });
    request.on('error', () => resolveLive(false));
    request.setTimeout(2_000, () => request.destroy());
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    if (child.exitCode !== null) throw new Error(`the service exited: ${output()}`);
    if (await isLive(`${baseUrl}/health/live`)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service did not become healthy: ${output()}`);
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolvePromise, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolvePromise(result)));
  });
}

function summary(result: autocannon.Result) {
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

/**
 * Open-loop load at a steady rate: one request every 1/rate s (arrivals do not wait for answers,
 * like desks), over at most CONNECTIONS keep-alive sockets. Latency counts from the moment a request
 * was due, so time spent queued for a socket counts too. autocannon's own rate limit is not used for
 * this phase: it sends each connection's quota back to back at the start of every second (a burst
 * at full speed, then idle), and its coordinated-omission correction takes 1/rate seconds as
 * milliseconds, filling the histogram with synthetic samples.
 */
async function runPaced(
  url: string,
  rate: number,
  headers: Record<string, string>,
  body: () => string,
): Promise<ReturnType<typeof summary>> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const total = rate * SECONDS;
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
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    rps: Math.round(latencies.length / elapsedSeconds),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    max_ms: Math.round(latencies[latencies.length - 1] ?? 0),
    requests: latencies.length,
    non_2xx: non2xx,
    errors,
    timeouts: 0,
  };
}

async function main(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = 'https://sso.bench/realms/hanoi';
  const signingKey = await importPKCS8(
    privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    'ES256',
  );
  const token = await new SignJWT({ roles: ['officer'], units: UNIT_CODES })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(issuer)
    .setAudience('backbone')
    .setSubject('0198b000-0000-7000-8000-00000000bec1')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(signingKey);

  const database = `bench_dossier_${runId}`;
  await admin(`CREATE DATABASE "${database}"`);
  const port = 3900 + Math.floor(Math.random() * 90);
  const baseUrl = `http://127.0.0.1:${port}`;
  let logs = '';
  // The built service is what runs in production; swc-node compiles on load and adds source-map work.
  const serviceArgs = FROM_SOURCE
    ? ['-r', '@swc-node/register', 'services/dossier/src/main.ts']
    : ['services/dossier/dist/main.js'];
  if (CPU_PROF_DIR) serviceArgs.unshift('--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF_DIR)}`);
  const child = spawn(process.execPath, serviceArgs, {
    cwd: repoRoot,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: 'tools/tsconfig.json',
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: databaseUrl(database),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: 'backbone',
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      PII_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      PII_ACTIVE_KEY_ID: 'bench',
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      // As in production: one JSON line per request (BENCH_LOG_LEVEL=warn for none).
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // The bench is one client: lift the per-IP limit (1,000,000 per second).
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      SWAGGER_ENABLED: 'false',
      DOSSIER_EVENTS_TOPIC: `bench_dossier_events_${runId}`,
      SIGNING_EVENTS_TOPIC: `bench_signing_events_${runId}`,
      DOSSIER_CONSUMER_GROUP: `bench_dossier_${runId}`,
      OVERDUE_SCAN_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));
  child.stderr!.on('data', (chunk) => (logs = (logs + String(chunk)).slice(-4000)));

  try {
    console.log(`bench:intake: starting the dossier service on port ${port} (database ${database})`);
    await waitForHealth(baseUrl, child, () => logs);
    console.log('bench:intake: service up; warming up');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let counter = 0;
    const intakeBody = (): string => {
      counter += 1;
      return JSON.stringify({
        unitCode: UNIT_CODES[counter % UNIT_CODES.length],
        procedureCode: counter % 3 === 0 ? '1.001193' : '1.004194',
        channel: counter % 5 === 0 ? 'postal' : 'direct',
        digitised: counter % 2 === 0,
        applicant: {
          fullName: 'Nguyễn Văn Bench',
          nationalId: nationalId(counter),
          phone: '0912345678',
        },
        attachments: [
          {
            name: 'to-khai.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 123_456,
            sha256: 'b'.repeat(64),
          },
        ],
      });
    };
    const intake: autocannon.Options = {
      url: `${baseUrl}/dossiers`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (request) => {
            return { ...request, body: intakeBody() };
          },
        },
      ],
    };

    // Warm-up (JIT, connection pool, first counter rows), not recorded.
    await run({ ...intake, duration: 3 });
    let trivial: ReturnType<typeof summary> | undefined;
    if (PHASES.has('trivial')) {
      console.log(`bench:intake: GET /ping for ${SECONDS} s`);
      trivial = summary(
        await run({ url: `${baseUrl}/ping`, connections: CONNECTIONS, duration: SECONDS, headers }),
      );
      console.log(JSON.stringify({ trivial }));
    }
    let full: ReturnType<typeof summary> | undefined;
    if (PHASES.has('full')) {
      console.log(`bench:intake: POST /dossiers at full rate for ${SECONDS} s`);
      full = summary(await run(intake));
      console.log(JSON.stringify({ full }));
    }
    let paced: ReturnType<typeof summary> | undefined;
    if (PHASES.has('paced') && full) {
      const rate = Math.max(1, Math.floor(full.rps * 0.7));
      console.log(`bench:intake: POST /dossiers at 70% (${rate}/s) for ${SECONDS} s`);
      paced = await runPaced(`${baseUrl}/dossiers`, rate, headers, intakeBody);
    }
    if (!trivial || !full || !paced) {
      console.log('bench:intake: not every phase ran; bench/results/intake-latest.json left as it was');
      return;
    }

    const result = {
      measured_at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      seconds_per_phase: SECONDS,
      connections: CONNECTIONS,
      service: FROM_SOURCE ? 'services/dossier/src under swc-node' : 'services/dossier/dist (built)',
      intake_rps: full.rps,
      intake_p99_ms: full.p99_ms,
      intake_p50_ms: full.p50_ms,
      intake_at_70pct_rate_rps: paced.rps,
      intake_at_70pct_p99_ms: paced.p99_ms,
      trivial_route_rps: trivial.rps,
      trivial_route_p99_ms: trivial.p99_ms,
      target: { intake_rps: 1000, p99_ms_at_70pct: 100 },
      load: {
        full: `autocannon, ${CONNECTIONS} connections, closed loop (each connection sends again on its answer)`,
        at_70pct: `open loop: evenly spaced arrivals at 70% of the full rate over at most ${CONNECTIONS} sockets, latency from the due time`,
        intake_spread: `${UNIT_CODES.length} units in turn (one desk's daily counter row is not the hot spot)`,
      },
      phases: { trivial, intake_full: full, intake_70pct: paced },
    };
    mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(repoRoot, 'bench/results/intake-latest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

runBenchmark('bench:intake', main);
