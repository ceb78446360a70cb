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
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type autocannon from 'autocannon';
import { nationalId, repoRoot, startDossierService, UNIT_CODES } from '../support/dossier-service';
import { autocannonSummary as summary, runAutocannon as run, runPaced } from '../support/load';
import { type BenchInfrastructure, runBenchmark } from '../infrastructure';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const FROM_SOURCE = process.env.BENCH_SOURCE === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const PHASES = new Set((process.env.BENCH_PHASES ?? 'trivial,full,paced').split(','));

async function main(infrastructure: BenchInfrastructure): Promise<void> {
  const service = await startDossierService({
    label: 'dossier',
    serverUrl: infrastructure.databaseUrl,
    brokers: infrastructure.kafkaBrokers,
    fromSource: FROM_SOURCE,
    ...(CPU_PROF_DIR ? { cpuProfileDir: CPU_PROF_DIR } : {}),
  });
  const { baseUrl, token } = service;

  try {
    console.log(`bench:intake: dossier service up at ${baseUrl} (database ${service.database}); warming up`);
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
      paced = await runPaced({
        url: `${baseUrl}/dossiers`,
        rate,
        seconds: SECONDS,
        connections: CONNECTIONS,
        headers,
        body: intakeBody,
      });
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
    await service.stop();
  }
}

runBenchmark('bench:intake', main);
