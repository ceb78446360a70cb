// `npm run bench:hotline`: starts the hotline service as its own process on a fresh database and
// topics, then measures with autocannon, in one run:
//   1. a trivial authenticated route of the same service (GET /ping: HTTP, JWT, guards, no I/O);
//   2. citizen report intake from the iHanoi gateway (POST /reports: routing by address, duplicate
//      look-up, encryption, one transaction with history, outbox and audit) at full rate.
// Prints the figures and writes bench/results/hotline-latest.json with exactly report_intake_rps,
// report_intake_p99_ms and trivial_route_rps. A measurement, not a test.
// Env: BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 40), BENCH_SOURCE=1 (the sources under
// swc-node instead of services/hotline/dist — build first with `npx nx run hotline:build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type autocannon from 'autocannon';
import hanoiUnits from '../../services/hotline/src/reference-data/hanoi-units-2025.json';
import { type BenchInfrastructure, runBenchmark } from '../infrastructure';
import { repoRoot } from '../support/service-process';
import { startHotlineService } from '../support/hotline-service';
import { autocannonSummary as summary, runAutocannon as run } from '../support/load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const FROM_SOURCE = process.env.BENCH_SOURCE === '1';
const CATEGORIES = [
  'environment.waste',
  'urban-order.sidewalk-encroachment',
  'traffic.road-damage',
  'utilities',
];

async function main(infrastructure: BenchInfrastructure): Promise<void> {
  const service = await startHotlineService({
    serverUrl: infrastructure.databaseUrl,
    brokers: infrastructure.kafkaBrokers,
    fromSource: FROM_SOURCE,
  });
  try {
    console.log(
      `bench:hotline: hotline service up at ${service.baseUrl} (database ${service.database}); warming up`,
    );
    const headers = { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' };
    let counter = 0;
    // Every report at its own house number (no duplicates), across the 126 units by address.
    const reportBody = (): string => {
      counter += 1;
      const unit = hanoiUnits.units[counter % hanoiUnits.units.length]!;
      return JSON.stringify({
        channel: 'ihanoi',
        categoryCode: CATEGORIES[counter % CATEGORIES.length],
        level: counter % 20 === 0 ? 'urgent' : 'normal',
        description: 'Phản ánh đo tải',
        location: { address: `Số ${counter} đường Bench, ${unit.fullName}, Hà Nội` },
        reporter: { name: 'Nguyễn Văn Bench', phone: `09${String(counter).padStart(8, '0')}` },
        media: [{ name: 'anh.jpg', type: 'image/jpeg', sizeBytes: 123_456, sha256: 'c'.repeat(64) }],
      });
    };
    const intake: autocannon.Options = {
      url: `${service.baseUrl}/reports`,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        { method: 'POST', headers, setupRequest: (request) => ({ ...request, body: reportBody() }) },
      ],
    };
    await run({ ...intake, duration: 3 });
    console.log(`bench:hotline: GET /ping for ${SECONDS} s`);
    const trivial = summary(
      await run({ url: `${service.baseUrl}/ping`, connections: CONNECTIONS, duration: SECONDS, headers }),
    );
    console.log(JSON.stringify({ trivial }));
    console.log(`bench:hotline: POST /reports at full rate for ${SECONDS} s`);
    const full = summary(await run(intake));
    console.log(JSON.stringify({ full }));
    for (const [phase, figures] of [
      ['GET /ping', trivial],
      ['POST /reports', full],
    ] as const)
      if (figures.requests === 0 || figures.non_2xx > 0)
        throw new Error(`${phase} did not measure: ${JSON.stringify(figures)}; logs: ${service.logs()}`);
    for (const [phase, figures] of [
      ['GET /ping', trivial],
      ['POST /reports', full],
    ] as const)
      if (figures.errors > 0)
        console.log(
          `bench:hotline: ${phase}: ${figures.errors} request(s) failed or timed out (a loaded machine?)`,
        );
    const result = {
      report_intake_rps: full.rps,
      report_intake_p99_ms: full.p99_ms,
      trivial_route_rps: trivial.rps,
    };
    mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(repoRoot, 'bench/results/hotline-latest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(
      JSON.stringify(
        {
          ...result,
          measured_at: new Date().toISOString(),
          machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
          seconds_per_phase: SECONDS,
          connections: CONNECTIONS,
          service: FROM_SOURCE ? 'services/hotline/src under swc-node' : 'services/hotline/dist (built)',
          phases: { trivial, intake_full: full },
        },
        null,
        2,
      ),
    );
  } finally {
    await service.stop();
  }
}

runBenchmark('bench:hotline', main);
