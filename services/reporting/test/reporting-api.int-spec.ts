import {
  createTestDatabase,
  createTestTopics,
  eventually,
  signTestToken,
  type TestDatabase,
  testKafkaBrokers,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';
import { generateDossierEvents } from './builders/generate-dossier-events';
import { publishEvents, type ReportingProcess, startReportingProcess } from './support/reporting-process';

const WARD_A = '00070';
const WARD_B = '00103';

describe('reporting API (service process, real Kafka and PostgreSQL)', () => {
  const keys = testSigningKeys();
  let database: TestDatabase;
  let service: ReportingProcess;
  const topic = uniqueName('reporting_api_dossier_events');
  const events = generateDossierEvents({
    targetEvents: 1_500,
    unitCodes: [WARD_A, WARD_B, '00466'],
    seed: 3,
  });
  const expectedReceived = (unit?: string) =>
    events.filter((e) => e.type === 'dossier.received.v1' && (!unit || e.unitcode === unit)).length;

  beforeAll(async () => {
    database = await createTestDatabase('reporting_api');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    await publishEvents(topic, events);
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

  async function get(path: string, token: string) {
    const response = await fetch(`${service.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  it('serves the city summary with its freshness once the events are consumed', async () => {
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    const body = await eventually(
      async () => {
        const response = await get('/reports/city/summary?from=2025-06-01&to=2025-08-31', admin);
        if (response.status !== 200)
          throw new Error(`${response.status} ${response.text} ${service.output()}`);
        const json = response.json();
        if (json.figures.dossiers.received !== expectedReceived())
          throw new Error(`received ${json.figures.dossiers.received}`);
        if (json.freshness.consumerLag.messages !== 0)
          throw new Error(`lag ${json.freshness.consumerLag.messages}`);
        return json;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // Nothing waiting on any of the 3 partitions: complete up to the moment the lag was measured.
    expect(body.freshness.completeUpTo).toBe(body.freshness.consumerLag.measuredAt);
    expect(body.figures.indicators.onTimeRate).toBeGreaterThan(0.8);
    expect(body.figures.dossiers.p90WorkingMinutesToResolve).toBeGreaterThan(0);

    const csv = await get('/reports/city/fifteen-day?from=2025-06-01&to=2025-08-31&format=csv', admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('dossiersReceived');

    const ranking = await get(
      '/reports/ranking?from=2025-06-01&to=2025-08-31&metric=received&limit=2',
      admin,
    );
    expect(ranking.json().ranking).toHaveLength(2);
    const series = await get('/reports/series/daily?from=2025-07-01&to=2025-07-15', admin);
    expect(series.json().series).toHaveLength(15);
  });

  it("lets a unit's staff read their own unit only", async () => {
    const officerA = await signTestToken(keys.privatePem, { roles: ['officer'], units: [WARD_A] });
    const own = await get(`/reports/units/${WARD_A}/summary?from=2025-06-01&to=2025-08-31`, officerA);
    expect(own.status).toBe(200);
    expect(own.json().figures.dossiers.received).toBe(expectedReceived(WARD_A));

    expect(
      (await get(`/reports/units/${WARD_B}/summary?from=2025-06-01&to=2025-08-31`, officerA)).status,
    ).toBe(404);
    expect(
      (await get(`/reports/series/daily?from=2025-07-01&to=2025-07-02&unit=${WARD_B}`, officerA)).status,
    ).toBe(404);
    expect((await get('/reports/city/summary?from=2025-06-01&to=2025-08-31', officerA)).status).toBe(403);
    expect(
      (await get('/reports/ranking?from=2025-06-01&to=2025-08-31&metric=received', officerA)).status,
    ).toBe(403);
    const units = (await get('/reports/units?from=2025-06-01&to=2025-08-31', officerA)).json().units;
    expect(units.map((u: { unitCode: string }) => u.unitCode)).toEqual([WARD_A]);
    const indicators = (await get('/reports/indicators?from=2025-06-01&to=2025-08-31', officerA)).json();
    expect(indicators.units.map((u: { unitCode: string }) => u.unitCode)).toEqual([WARD_A]);

    const auditor = await signTestToken(keys.privatePem, { roles: ['auditor'], units: [] });
    expect(
      (await get(`/reports/units/${WARD_B}/summary?from=2025-06-01&to=2025-08-31`, auditor)).status,
    ).toBe(200);
    expect((await get('/reports/city/summary?from=2025-06-01&to=2025-08-31', 'not-a-token')).status).toBe(
      401,
    );
  });
});
