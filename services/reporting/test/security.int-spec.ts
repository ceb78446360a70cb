import {
  createTestDatabase,
  createTestTopics,
  signTestToken,
  type TestDatabase,
  testKafkaBrokers,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';
import { type ReportingProcess, startReportingProcess } from './support/reporting-process';

/**
 * Issue 11, from outside: each test is an attack over HTTP against the reporting service running as
 * its own process (real Kafka and PostgreSQL), and fails on the code before its fix.
 */
describe('reporting security (service process, real Kafka and PostgreSQL)', () => {
  const keys = testSigningKeys();
  let database: TestDatabase;
  let service: ReportingProcess;
  const topic = uniqueName('reporting_security_events');

  beforeAll(async () => {
    database = await createTestDatabase('reporting_security');
    await createTestTopics([{ topic, numPartitions: 1 }]);
    service = await startReportingProcess({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      JWT_PUBLIC_KEY: keys.publicPem,
      REPORTING_TOPICS: topic,
      REPORTING_CONSUMER_GROUP: uniqueName('reporting'),
    });
  });

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await database?.drop();
  });

  /** Every request is bounded: a service pinned by a request fails the test instead of hanging it. */
  async function get(path: string, token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }

  async function waitUntilUp(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await get('/health/live')).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`reporting did not start: ${service.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  beforeAll(() => waitUntilUp(), 120_000);

  it('answers 400 to days past 9999 or outside 2000-2100, and stays responsive (finding 1)', async () => {
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    for (const path of [
      '/reports/series/daily?from=9999-12-31&to=9999-12-31',
      '/reports/series/daily?from=2100-12-31&to=2101-01-01',
      '/reports/city/summary?from=1900-01-01&to=1900-01-02',
      '/reports/units?from=0000-01-01&to=0000-01-01',
    ]) {
      const response = await get(path, admin);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
    }
    expect((await get('/reports/series/daily?from=2025-07-01&to=2025-07-03', admin)).status).toBe(200);
  });

  it('answers 400, never 500 or a shifted day, to impossible dates (finding 1)', async () => {
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    for (const path of [
      '/reports/city/summary?from=2025-02-30&to=2025-03-01',
      '/reports/series/daily?from=2025-02-01&to=2025-02-29',
      '/reports/ranking?from=2025-13-01&to=2025-13-02&metric=received',
    ]) {
      const response = await get(path, admin);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
    }
  });

  it('answers 400 to a malformed unit code and 404 to an unknown one, never zeros (finding 6)', async () => {
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    const period = 'from=2025-07-01&to=2025-07-31';
    const injected = encodeURIComponent("00070' OR 1=1--");
    expect((await get(`/reports/units/${injected}/summary?${period}`, admin)).status).toBe(400);
    expect((await get(`/reports/series/daily?${period}&unit=${injected}`, admin)).status).toBe(400);
    const unknown = await get(`/reports/units/99999/summary?${period}`, admin);
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('"unitName"');
    expect((await get(`/reports/series/daily?${period}&unit=99999`, admin)).status).toBe(404);
    const known = await get(`/reports/units/00070/summary?${period}`, admin);
    expect(known.status).toBe(200);
    expect(JSON.parse(known.text).unitName).toBe('Phường Hoàn Kiếm');
  });
});
