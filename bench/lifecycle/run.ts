// `npm run bench:lifecycle`: a dossier's whole life, measured in one run against the dossier service
// started as its own process on a fresh database and topics (bench/support):
//   1. GET /ping (trivial authenticated route) and POST /dossiers (intake) at full rate, as bench:intake;
//   2. the statements one transition sends (sequential dossiers, DB_STATEMENT_COUNTING in the service);
//   3. the lifecycle at full rate: BENCH_CONNECTIONS workers, each filing a dossier and moving it
//      start-processing → request-payment → record-payment → resolve → return-result, again and again,
//      across the 126 units; every POST carries an Idempotency-Key and each transition the version it saw;
//   4. the lifecycle paced at 70 % of that dossier rate (open loop: dossiers arrive evenly): transition p99;
//   5. the service idle for a few seconds: what the relay's and linker's polling costs when nothing happens.
// CPU per process (service, PostgreSQL backends of the run's database, broker, this load generator) from
// /proc. Writes bench/results/lifecycle-latest.json. A measurement, not a test.
//
// Kafka and PostgreSQL: brought up as `npm test` does, or KAFKA_BROKERS / DATABASE_URL when set
// (bench/infrastructure.ts); the first line of output says which. Env:
// BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 40), BENCH_SOURCE=1 (run the sources under
// swc-node instead of services/dossier/dist — build first with `npx nx run-many -t build`),
// BENCH_CPU_PROF=<dir> (the service writes a .cpuprofile there; summarise it with
// bench/intake/summarise-cpuprofile.mjs), BENCH_LOG_LEVEL (default info).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, get, request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { type BenchInfrastructure, runBenchmark } from '../infrastructure';
import { brokerPid, type CpuMs, PhaseCpu } from '../support/cpu';
import { nationalId, repoRoot, startDossierService, UNIT_CODES } from '../support/dossier-service';
import { autocannonSummary, quantile, runAutocannon } from '../support/load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const FROM_SOURCE = process.env.BENCH_SOURCE === '1';
/** The transitions of one dossier after its intake (fee-paying procedures without a signed result). */
const STEPS = ['start-processing', 'request-payment', 'record-payment', 'resolve', 'return-result'] as const;
const SEQUENTIAL_DOSSIERS = 40;
const IDLE_SECONDS = 5;

let counter = 0;
function intakeBody(): string {
  counter += 1;
  return JSON.stringify({
    unitCode: UNIT_CODES[counter % UNIT_CODES.length],
    // Tạm trú / thường trú: a fee to request and pay, no signed result to wait for.
    procedureCode: counter % 2 === 0 ? '1.004194' : '1.004222',
    channel: counter % 5 === 0 ? 'postal' : 'direct',
    digitised: counter % 2 === 0,
    applicant: { fullName: 'Nguyễn Văn Bench', nationalId: nationalId(counter), phone: '0912345678' },
    attachments: [
      { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 123_456, sha256: 'b'.repeat(64) },
    ],
  });
}

interface Answer {
  status: number;
  body: { id?: string; version?: number };
  ms: number;
}

/** A small keep-alive HTTP client: the load generator's own CPU is part of the report. */
class Caller {
  private readonly agent: Agent;
  constructor(
    private readonly baseUrl: URL,
    private readonly token: string,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(path: string, payload: string): Promise<Answer> {
    const started = performance.now();
    return new Promise((resolveAnswer, reject) => {
      const request = httpRequest(
        {
          agent: this.agent,
          host: this.baseUrl.hostname,
          port: this.baseUrl.port,
          path,
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'idempotency-key': randomUUID(),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: Answer['body'] = {};
            try {
              body = JSON.parse(text) as Answer['body'];
            } catch {
              // a non-JSON answer: counted by its status
            }
            resolveAnswer({ status: response.statusCode ?? 0, body, ms: performance.now() - started });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface LifecycleTally {
  dossiers: number;
  intakes: number;
  transitions: number;
  failures: Record<string, number>;
  intakeMs: number[];
  transitionMs: number[];
}

function newTally(): LifecycleTally {
  return { dossiers: 0, intakes: 0, transitions: 0, failures: {}, intakeMs: [], transitionMs: [] };
}

/** One dossier's whole life; returns whether it reached result-returned. */
async function liveOneDossier(caller: Caller, tally: LifecycleTally): Promise<boolean> {
  const filed = await caller.post('/dossiers', intakeBody());
  tally.intakeMs.push(filed.ms);
  if (filed.status !== 201 || !filed.body.id) {
    tally.failures[`intake ${filed.status}`] = (tally.failures[`intake ${filed.status}`] ?? 0) + 1;
    return false;
  }
  tally.intakes += 1;
  let version = filed.body.version!;
  for (const step of STEPS) {
    const moved = await caller.post(
      `/dossiers/${filed.body.id}/${step}`,
      JSON.stringify({ expectedVersion: version }),
    );
    tally.transitionMs.push(moved.ms);
    if (moved.status !== 200 || moved.body.version === undefined) {
      tally.failures[`${step} ${moved.status}`] = (tally.failures[`${step} ${moved.status}`] ?? 0) + 1;
      return false;
    }
    tally.transitions += 1;
    version = moved.body.version;
  }
  tally.dossiers += 1;
  return true;
}

/** Closed loop: `workers` dossiers in flight, each worker starting the next when one is returned. */
async function lifecycleFullRate(caller: Caller, workers: number, seconds: number) {
  const tally = newTally();
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) await liveOneDossier(caller, tally).catch(() => false);
    }),
  );
  return { tally, elapsed: (performance.now() - started) / 1000 };
}

/** Open loop: a new dossier every 1/rate s, whatever happens to the others. */
async function lifecyclePaced(caller: Caller, rate: number, seconds: number) {
  const tally = newTally();
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const lives: Promise<unknown>[] = [];
  let begun = 0;
  await new Promise<void>((resolveTicks) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (begun < total && started + (begun * 1000) / rate <= now) {
        lives.push(liveOneDossier(caller, tally).catch(() => false));
        begun += 1;
      }
      if (begun >= total) {
        clearInterval(timer);
        resolveTicks();
      }
    }, 2);
  });
  await Promise.all(lives);
  return { tally, elapsed: (performance.now() - started) / 1000 };
}

type Counts = Map<string, { count: number; seconds: number }>;

/** db_statements_total and db_statement_seconds_total from the service's /metrics. */
function statementCounts(baseUrl: string): Promise<Counts> {
  return new Promise((resolveCounts, reject) => {
    get(`${baseUrl}/metrics`, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const counts: Counts = new Map();
        for (const match of text.matchAll(
          /^db_statement(s_total|_seconds_total)\{origin="(\w+)",kind="(\w+)"\} ([\d.e+-]+)$/gm,
        )) {
          const key = `${match[2]} ${match[3]}`;
          const entry = counts.get(key) ?? { count: 0, seconds: 0 };
          if (match[1] === 's_total') entry.count = Number(match[4]);
          else entry.seconds = Number(match[4]);
          counts.set(key, entry);
        }
        resolveCounts(counts);
      });
    }).on('error', reject);
  });
}

function countsSince(before: Counts, after: Counts): Counts {
  const delta: Counts = new Map();
  for (const [key, now] of after) {
    const then = before.get(key) ?? { count: 0, seconds: 0 };
    if (now.count - then.count > 0)
      delta.set(key, { count: now.count - then.count, seconds: now.seconds - then.seconds });
  }
  return delta;
}

function total(counts: Counts, origin: string): number {
  let sum = 0;
  for (const [key, { count }] of counts) if (key.startsWith(`${origin} `)) sum += count;
  return sum;
}

/** Per kind: statements per `per` and mean ms each. */
function breakdown(counts: Counts, per: number): Record<string, { per: number; mean_ms: number }> {
  const result: Record<string, { per: number; mean_ms: number }> = {};
  for (const [key, { count, seconds }] of [...counts].sort()) {
    result[key] = { per: round2(count / per), mean_ms: round2((seconds * 1000) / count) };
  }
  return result;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function cpuPerRequest(cpu: CpuMs, requests: number): Record<keyof CpuMs, number> {
  return {
    service: round2(cpu.service / requests),
    postgres: round2(cpu.postgres / requests),
    broker: round2(cpu.broker / requests),
    load_generator: round2(cpu.load_generator / requests),
  };
}

function latencies(tally: LifecycleTally, elapsed: number) {
  const transitions = [...tally.transitionMs].sort((a, b) => a - b);
  const intakes = [...tally.intakeMs].sort((a, b) => a - b);
  return {
    seconds: round2(elapsed),
    dossiers_per_s: round2(tally.dossiers / elapsed),
    transition_rps: Math.round(tally.transitions / elapsed),
    intake_rps: Math.round(tally.intakes / elapsed),
    transition_p50_ms: quantile(transitions, 0.5),
    transition_p99_ms: quantile(transitions, 0.99),
    transition_max_ms: Math.round(transitions[transitions.length - 1] ?? 0),
    intake_p50_ms: quantile(intakes, 0.5),
    intake_p99_ms: quantile(intakes, 0.99),
    dossiers: tally.dossiers,
    transitions: tally.transitions,
    failures: tally.failures,
  };
}

async function main(infrastructure: BenchInfrastructure): Promise<void> {
  const brokerPort = infrastructure.kafkaBrokers.split(',')[0]?.split(':')[1] ?? '9092';
  const service = await startDossierService({
    label: 'lifecycle',
    serverUrl: infrastructure.databaseUrl,
    brokers: infrastructure.kafkaBrokers,
    fromSource: FROM_SOURCE,
    ...(process.env.BENCH_CPU_PROF ? { cpuProfileDir: process.env.BENCH_CPU_PROF } : {}),
    env: { DB_STATEMENT_COUNTING: '1' },
  });
  const broker = brokerPid(repoRoot, brokerPort);
  const phaseCpu = () => new PhaseCpu(infrastructure.databaseUrl, service.database, service.pid, broker);
  const caller = new Caller(new URL(service.baseUrl), service.token, 512);
  try {
    console.log(
      `bench:lifecycle: dossier service up at ${service.baseUrl} (database ${service.database}); load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const headers = { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' };
    const intake = {
      url: `${service.baseUrl}/dossiers`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [{ method: 'POST', headers, setupRequest: (r: object) => ({ ...r, body: intakeBody() }) }],
    };
    // Warm-up (JIT, pools, prepared statements, first counter rows), not recorded.
    await runAutocannon({ ...intake, duration: 3 });
    await lifecycleFullRate(caller, CONNECTIONS, 3);

    console.log(`bench:lifecycle: GET /ping for ${SECONDS} s`);
    const trivial = autocannonSummary(
      await runAutocannon({
        url: `${service.baseUrl}/ping`,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers,
      }),
    );
    console.log(JSON.stringify({ trivial }));

    console.log(`bench:lifecycle: POST /dossiers at full rate for ${SECONDS} s`);
    let cpu = phaseCpu();
    await cpu.begin();
    const intakeFull = autocannonSummary(await runAutocannon(intake));
    const intakeCpu = await cpu.end();
    console.log(JSON.stringify({ intakeFull, intakeCpu }));

    // Statements of one transition: dossiers one after another, so that only their requests count.
    console.log(`bench:lifecycle: statements per transition over ${SEQUENTIAL_DOSSIERS} sequential dossiers`);
    const sequential = newTally();
    let requestStatements = 0;
    let backgroundStatements = 0;
    const transitionCounts: Counts = new Map();
    for (let i = 0; i < SEQUENTIAL_DOSSIERS; i += 1) {
      const filed = await caller.post('/dossiers', intakeBody());
      let version = filed.body.version!;
      const before = await statementCounts(service.baseUrl);
      for (const step of STEPS) {
        const moved = await caller.post(
          `/dossiers/${filed.body.id}/${step}`,
          JSON.stringify({ expectedVersion: version }),
        );
        if (moved.status !== 200) throw new Error(`${step} answered ${moved.status}`);
        version = moved.body.version!;
        sequential.transitions += 1;
      }
      const after = await statementCounts(service.baseUrl);
      const delta = countsSince(before, after);
      requestStatements += total(delta, 'request');
      backgroundStatements += total(delta, 'background');
      for (const [key, entry] of delta) {
        const sum = transitionCounts.get(key) ?? { count: 0, seconds: 0 };
        transitionCounts.set(key, { count: sum.count + entry.count, seconds: sum.seconds + entry.seconds });
      }
    }
    const statementsPerTransition = round2(requestStatements / sequential.transitions);
    const backgroundPerTransition = round2(backgroundStatements / sequential.transitions);
    console.log(
      JSON.stringify({
        statementsPerTransition,
        backgroundPerTransition,
        kinds: breakdown(transitionCounts, sequential.transitions),
      }),
    );

    console.log(
      `bench:lifecycle: lifecycle at full rate (${CONNECTIONS} dossiers in flight) for ${SECONDS} s`,
    );
    cpu = phaseCpu();
    let countsBefore = await statementCounts(service.baseUrl);
    await cpu.begin();
    const full = await lifecycleFullRate(caller, CONNECTIONS, SECONDS);
    const fullCpu = await cpu.end();
    const fullCounts = countsSince(countsBefore, await statementCounts(service.baseUrl));
    const fullRequests = full.tally.intakes + full.tally.transitions;
    const fullSummary = latencies(full.tally, full.elapsed);
    console.log(JSON.stringify({ full: fullSummary, fullCpu }));

    const pacedRate = Math.max(1, Math.floor(fullSummary.dossiers_per_s * 0.7));
    console.log(`bench:lifecycle: lifecycle at 70 % (${pacedRate} dossiers/s) for ${SECONDS} s`);
    cpu = phaseCpu();
    await cpu.begin();
    const paced = await lifecyclePaced(caller, pacedRate, SECONDS);
    const pacedCpu = await cpu.end();
    const pacedSummary = latencies(paced.tally, paced.elapsed);
    console.log(JSON.stringify({ paced: pacedSummary }));

    // Let the relay drain, then what the service costs doing nothing (relay lanes, audit linker).
    await new Promise((r) => setTimeout(r, 3_000));
    cpu = phaseCpu();
    countsBefore = await statementCounts(service.baseUrl);
    await cpu.begin();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleCpu = await cpu.end();
    const idleCounts = countsSince(countsBefore, await statementCounts(service.baseUrl));

    const goals = {
      transition_rps_vs_intake: round2(fullSummary.transition_rps / intakeFull.rps),
      transition_rps_at_least_0_6_of_intake: fullSummary.transition_rps >= 0.6 * intakeFull.rps,
      lifecycle_dossiers_per_s_at_least_100: fullSummary.dossiers_per_s >= 100,
      transition_p99_at_70pct_at_most_100_ms: pacedSummary.transition_p99_ms <= 100,
      statements_per_transition_at_most_4: statementsPerTransition <= 4,
    };
    const result = {
      measured_at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        load_average_at_end: loadavg().map((l) => round2(l)),
      },
      infrastructure: infrastructure.notes,
      service: FROM_SOURCE ? 'services/dossier/src under swc-node' : 'services/dossier/dist (built)',
      seconds_per_phase: SECONDS,
      connections: CONNECTIONS,
      lifecycle_dossiers_per_s: fullSummary.dossiers_per_s,
      transition_rps: fullSummary.transition_rps,
      transition_p99_ms: {
        full_rate: fullSummary.transition_p99_ms,
        at_70pct: pacedSummary.transition_p99_ms,
      },
      intake_rps: intakeFull.rps,
      trivial_route_rps: trivial.rps,
      db_statements_per_transition: statementsPerTransition,
      // What each transition sets off beside (audit chain linker, outbox relay), one dossier at a time:
      // under load the linker and relay batch, see detail.background_statements_per_request_at_full_rate.
      db_background_statements_per_transition_sequential: backgroundPerTransition,
      cpu_ms_per_request: {
        lifecycle_full_rate: cpuPerRequest(fullCpu, fullRequests),
        lifecycle_at_70pct: cpuPerRequest(pacedCpu, paced.tally.intakes + paced.tally.transitions),
        intake_full_rate: cpuPerRequest(intakeCpu, intakeFull.requests),
      },
      goals,
      detail: {
        statements_per_transition_by_kind: breakdown(transitionCounts, sequential.transitions),
        statements_per_request_at_full_rate_by_kind: breakdown(fullCounts, fullRequests),
        background_statements_per_request_at_full_rate: round2(
          total(fullCounts, 'background') / fullRequests,
        ),
        idle: {
          seconds: IDLE_SECONDS,
          statements_per_s: round2(total(idleCounts, 'background') / IDLE_SECONDS),
          by_kind: breakdown(idleCounts, IDLE_SECONDS),
          cpu_ms_per_s: {
            service: round2(idleCpu.service / IDLE_SECONDS),
            postgres: round2(idleCpu.postgres / IDLE_SECONDS),
            broker: round2(idleCpu.broker / IDLE_SECONDS),
          },
        },
        cpu_ms: { lifecycle_full_rate: fullCpu, lifecycle_at_70pct: pacedCpu, intake_full_rate: intakeCpu },
        lifecycle_full_rate: fullSummary,
        lifecycle_at_70pct: { rate_dossiers_per_s: pacedRate, ...pacedSummary },
        intake_full_rate: intakeFull,
        trivial_route: trivial,
        how: {
          lifecycle: `${CONNECTIONS} dossiers in flight (closed loop), each intake → ${STEPS.join(' → ')}, units in turn over ${UNIT_CODES.length}; every POST with an Idempotency-Key, transitions with expectedVersion`,
          at_70pct:
            'open loop: dossiers arrive evenly at 70 % of the full dossier rate; each transition timed from its sending',
          statements: `counted in the service (DB_STATEMENT_COUNTING=1 wraps pg's Client#query; pg_stat_statements is not preloaded on this server): per transition = statements sent inside the transition requests of ${SEQUENTIAL_DOSSIERS} dossiers moved one after another (BEGIN/COMMIT included); background (relay, audit linker: what a request sets off but does not wait for) reported apart`,
          cpu: 'from /proc: the service process, the PostgreSQL backends connected to the run database (not the WAL writer or checkpointer), the broker JVM, this process',
        },
      },
    };
    mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(repoRoot, 'bench/results/lifecycle-latest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    caller.close();
    await service.stop();
  }
}

runBenchmark('bench:lifecycle', main);
