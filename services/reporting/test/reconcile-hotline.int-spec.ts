import { hanoiDayOf } from '@backbone/calendar';
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
import { Client } from 'pg';
import {
  type CommandResult,
  runReportingCommand,
  type ServiceProcess,
  waitUntilLive,
} from './support/dossier-process';
import { startHotlineProcess } from './support/hotline-process';
import { type ReportingProcess, startReportingProcess } from './support/reporting-process';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ

/**
 * Issue 14: the reporting service's figures for calls, reports and SLA compliance match the hotline
 * database. The hotline and reporting services as processes, each on its own database; calls,
 * reports and app accounts made through the hotline API (one report accepted late: its deadline
 * lies in the past); the reconcile command compares reporting's counts with the hotline's own
 * (`GET /stats`) — zero differences, then exactly the one made by hand.
 */
describe('reconcile the hotline (hotline and reporting service processes, real Kafka and PostgreSQL)', () => {
  const keys = testSigningKeys();
  const hotlineTopic = uniqueName('test_reconcile_hotline_events');
  const dossierTopic = uniqueName('test_reconcile_hotline_dossier_events');
  let hotlineDatabase: TestDatabase;
  let reportingDatabase: TestDatabase;
  let hotline: ServiceProcess;
  let reporting: ReportingProcess;
  const from = hanoiDayOf(new Date(Date.now() - 25 * 24 * 3600_000));
  const to = hanoiDayOf(new Date(Date.now() + 24 * 3600_000));

  beforeAll(async () => {
    [hotlineDatabase, reportingDatabase] = await Promise.all([
      createTestDatabase('reconcile_hotline'),
      createTestDatabase('reconcile_hotline_reporting'),
    ]);
    await createTestTopics([
      { topic: hotlineTopic, numPartitions: 3 },
      { topic: dossierTopic, numPartitions: 1 },
    ]);
    const kafka = testKafkaBrokers().join(',');
    [hotline, reporting] = await Promise.all([
      startHotlineProcess({
        DATABASE_URL: hotlineDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        HOTLINE_EVENTS_TOPIC: hotlineTopic,
        HOTLINE_EVENTS_PARTITIONS: '3',
        DOSSIER_EVENTS_TOPIC: dossierTopic,
        HOTLINE_CONSUMER_GROUP: uniqueName('test_reconcile_hotline'),
      }),
      startReportingProcess({
        DATABASE_URL: reportingDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        REPORTING_TOPICS: hotlineTopic,
        REPORTING_CONSUMER_GROUP: uniqueName('test_reconcile_hotline_reporting'),
      }),
    ]);
    await waitUntilLive(reporting);
  });

  afterAll(async () => {
    await hotline?.stop();
    if (reporting && reporting.child.exitCode === null) reporting.child.kill('SIGTERM');
    await reporting?.exited;
    await Promise.all([hotlineDatabase?.drop(), reportingDatabase?.drop()]);
  });

  async function post<T = { id: string }>(path: string, token: string, body: object): Promise<T> {
    const response = await fetch(`${hotline.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': uniqueName('k'),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  let house = 0;
  const report = (address: string, extra: object = {}) => ({
    channel: 'ihanoi',
    categoryCode: 'environment.waste',
    description: 'Rác',
    location: { address: `Số ${(house += 1)}, ${address}` },
    reporter: { phone: '0912000111' },
    ...extra,
  });

  function reconcile(...extra: string[]): Promise<CommandResult> {
    return signTestToken(keys.privatePem, { roles: ['auditor'], units: [] }).then((token) =>
      runReportingCommand('reconcile/reconcile.cli.ts', ['--from', from, '--to', to, ...extra], {
        DATABASE_URL: reportingDatabase.url,
        HOTLINE_API_URL: hotline.baseUrl,
        RECONCILE_TOKEN: token,
      }),
    );
  }

  it('finds no difference for calls, reports, SLA compliance and accounts, then exactly the counter row deleted', async () => {
    const app = await signTestToken(keys.privatePem, {
      subject: 'ihanoi-gateway',
      roles: ['service'],
      units: [],
    });
    const pbx = await signTestToken(keys.privatePem, { subject: 'pbx', roles: ['service'], units: [] });
    const officerA = await signTestToken(keys.privatePem, { roles: ['officer'], units: [WARD_A] });
    const officerB = await signTestToken(keys.privatePem, { roles: ['officer'], units: [WARD_B] });

    for (let i = 0; i < 3; i += 1)
      await post('/pbx/call-events', pbx, {
        event: 'ended',
        uniqueId: `reconcile.${i}`,
        callerNumber: `090000000${i}`,
        startedAt: new Date(Date.now() - 600_000).toISOString(),
        endedAt: new Date(Date.now() - 500_000).toISOString(),
        durationSeconds: 100,
        disposition: i === 2 ? 'abandoned' : 'answered',
      });
    await post('/app-accounts', app, { phone: '0912000111', homeUnitCode: WARD_B });

    // Ward A: one accepted and answered in time; one submitted 20 days ago, accepted late.
    const a1 = await post('/reports', app, report('Hàng Bạc, P. Hàng Bạc'));
    for (const [step, body] of [
      ['accept', {}],
      ['assign', { assignee: 'o' }],
      ['start', {}],
      ['answer', { answer: 'Xong' }],
    ] as const)
      await post(`/reports/${a1.id}/${step}`, officerA, body);
    const a2 = await post(
      '/reports',
      app,
      report('Đinh Tiên Hoàng, P. Hoàn Kiếm', {
        submittedAt: new Date(Date.now() - 20 * 24 * 3600_000).toISOString(),
      }),
    );
    await post(`/reports/${a2.id}/accept`, officerA, {});
    // Ward B: one waiting, one transferred in from ward A and accepted there.
    await post('/reports', app, report('P. Tây Hồ'));
    const moved = await post(
      '/reports',
      app,
      report('P. Hoàn Kiếm', { categoryCode: 'traffic.road-damage' }),
    );
    await post(`/reports/${moved.id}/transfer`, officerA, { toUnitCode: WARD_B });
    await post(`/reports/${moved.id}/accept`, officerB, {});

    const auditor = await signTestToken(keys.privatePem, { roles: ['auditor'], units: [] });
    const stats = await fetch(`${hotline.baseUrl}/stats?from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${auditor}` },
    }).then((r) => r.json() as Promise<{ units: Record<string, unknown>[] }>);
    expect(stats.units).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          unitCode: WARD_A,
          reportsSubmitted: 3,
          acceptedWithinSla: 1,
          acceptedOutsideSla: 1,
          answeredWithinSla: 1,
        }),
        expect.objectContaining({
          unitCode: WARD_B,
          reportsSubmitted: 1,
          acceptedWithinSla: 1,
          appAccountsRegistered: 1,
        }),
        expect.objectContaining({ unitCode: 'VP-UBND', callsReceived: 3 }),
      ]),
    );

    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    await eventually(
      async () => {
        const response = await fetch(`${reporting.baseUrl}/reports/city/summary?from=${from}&to=${to}`, {
          headers: { authorization: `Bearer ${admin}` },
        });
        const body = JSON.parse(await response.text()) as {
          figures: { hotline: Record<string, number>; appAccountsRegistered: number };
          freshness: { consumerLag: { messages: number } };
        };
        const h = body.figures.hotline;
        const seen = [
          h.calls,
          h.reports,
          h.acceptedWithinSla,
          h.acceptedOutsideSla,
          h.answeredWithinSla,
          body.figures.appAccountsRegistered,
        ];
        if (seen.join() !== [3, 4, 2, 1, 1, 1].join()) throw new Error(`reporting has ${seen.join()}`);
        if (body.freshness.consumerLag.messages !== 0)
          throw new Error(`consumer lag ${body.freshness.consumerLag.messages}`);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    const clean = await reconcile();
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain(`0 difference(s) for ${from}..${to}`);
    expect(clean.code).toBe(0);

    // A known difference: reporting loses ward A's late acceptance.
    const db = new Client({ connectionString: reportingDatabase.url });
    await db.connect();
    try {
      const [{ schema_name: schema }] = (
        await db.query<{ schema_name: string }>(
          `SELECT g.schema_name FROM reporting_current c JOIN reporting_generation g USING (generation)`,
        )
      ).rows as [{ schema_name: string }];
      const deleted = await db.query(
        `DELETE FROM "${schema}".daily_counter WHERE unit_code = $1 AND metric = 'report.accepted' AND dim1 = 'outside' RETURNING value`,
        [WARD_A],
      );
      expect(deleted.rowCount).toBe(1);
    } finally {
      await db.end();
    }
    const broken = await reconcile();
    expect(broken.stdout.split('\n').filter((line) => /^\d{5} /.test(line))).toEqual([
      `${WARD_A} acceptedOutsideSla: hotline service 1, reporting 0`,
    ]);
    expect(broken.code).toBe(1);
  });
});
