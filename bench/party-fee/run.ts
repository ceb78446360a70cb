// `npm run bench:party-fee`: the party-fee service as its own process on a fresh database and topic
// (bench/support/party-fee-service.ts), BENCH_MEMBERS members seeded (default 20,000), then:
//   1. GET /ping (trivial authenticated route) at full rate: what the HTTP stack, JWT and guards cost;
//   2. the monthly assessment batch over every member (one run, timed): members assessed per second;
//   3. cash payments at full rate (BENCH_CONNECTIONS workers, each POST with its own Idempotency-Key,
//      members round-robin): payments per second and p99 latency.
// Writes bench/results/party-fee-latest.json with exactly assessment_members_per_s, payment_rps,
// payment_p99_ms and trivial_route_rps. A measurement, not a test. Env: BENCH_SECONDS (default 15),
// BENCH_CONNECTIONS (default 40), BENCH_MEMBERS (default 20000), BENCH_LOG_LEVEL.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { type BenchInfrastructure, runBenchmark } from '../infrastructure';
import { repoRoot } from '../support/service-process';
import { autocannonSummary, runAutocannon } from '../support/load';
import { seedMembers, startPartyFeeService } from '../support/party-fee-service';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 20_000);
const PERIOD = '2026-02';

function post(
  baseUrl: string,
  path: string,
  token: string,
  body: object,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolveAnswer, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
        timeout: 600_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolveAnswer({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

async function measure(infrastructure: BenchInfrastructure): Promise<void> {
  const service = await startPartyFeeService({
    serverUrl: infrastructure.databaseUrl,
    brokers: infrastructure.kafkaBrokers,
  });
  try {
    const memberIds = await seedMembers(service.databaseUrl, MEMBERS, PERIOD);
    process.stdout.write(`party-fee service pid ${service.pid}, ${MEMBERS} members seeded\n`);
    const headers = { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' };

    const ping = autocannonSummary(
      await runAutocannon({
        url: `${service.baseUrl}/ping`,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers,
      }),
    );
    process.stdout.write(`trivial route: ${ping.rps} req/s, p99 ${ping.p99_ms} ms\n`);

    const started = performance.now();
    const run = await post(service.baseUrl, '/assessment-runs', service.token, { period: PERIOD });
    const seconds = (performance.now() - started) / 1000;
    const created = (JSON.parse(run.body) as { created?: number }).created ?? 0;
    if (run.status !== 200 || created !== MEMBERS)
      throw new Error(`assessment run: ${run.status} ${run.body}`);
    const assessmentPerS = Math.round(created / seconds);
    process.stdout.write(
      `assessment: ${created} members in ${seconds.toFixed(2)} s = ${assessmentPerS} members/s\n`,
    );

    let next = 0;
    const payments = autocannonSummary(
      await runAutocannon({
        url: service.baseUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/payments/cash',
            setupRequest: (request) => {
              next += 1;
              return {
                ...request,
                headers: { ...headers, 'idempotency-key': randomUUID() },
                body: JSON.stringify({
                  memberId: memberIds[next % memberIds.length],
                  amountVnd: 40_000 + (next % 5) * 10_000,
                }),
              };
            },
          },
        ],
      }),
    );
    process.stdout.write(
      `payments: ${payments.rps} req/s, p99 ${payments.p99_ms} ms, non-2xx ${payments.non_2xx}\n`,
    );
    if (payments.non_2xx > 0 || payments.errors > 0)
      throw new Error(`payments failed: ${JSON.stringify(payments)}\n${service.logs()}`);

    const results = {
      assessment_members_per_s: assessmentPerS,
      payment_rps: payments.rps,
      payment_p99_ms: payments.p99_ms,
      trivial_route_rps: ping.rps,
    };
    mkdirSync(resolve(repoRoot, 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(repoRoot, 'bench/results/party-fee-latest.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    await service.stop();
  }
}

runBenchmark('bench:party-fee', measure);
