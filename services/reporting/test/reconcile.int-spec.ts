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
import { hanoiDayOf } from '@backbone/calendar';
import { statsQueryFor } from '../src/reconcile/reconcile';
import {
  type CommandResult,
  runReportingCommand,
  type ServiceProcess,
  startDossierProcess,
  waitUntilLive,
} from './support/dossier-process';
import { type ReportingProcess, startReportingProcess } from './support/reporting-process';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ
const RESIDENCE = '1.004194'; // tạm trú: no signed result
const PERMANENT_RESIDENCE = '1.004222'; // thường trú: filed once only, so its counter row is one dossier
const BIRTH = '1.001193'; // khai sinh: the result is signed
const COPY = '2.000815'; // chứng thực bản sao

interface DossierView {
  id: string;
  version: number;
  status: string;
}

/**
 * Issue 6, reconciliation: the dossier service and the reporting service as processes, each on
 * its own fresh database, dossiers filed and moved through the dossier API, then the reconcile
 * command against both — zero differences, and exactly the one made by hand afterwards.
 */
describe('reconcile (dossier and reporting service processes, real Kafka and PostgreSQL)', () => {
  const keys = testSigningKeys();
  const dossierTopic = uniqueName('test_reconcile_dossier_events');
  const signingTopic = uniqueName('test_reconcile_signing_events');
  let dossierDatabase: TestDatabase;
  let reportingDatabase: TestDatabase;
  let dossierService: ServiceProcess;
  let reportingService: ReportingProcess;
  // Yesterday to tomorrow in Hanoi: the run may cross Hanoi midnight and still sit inside the period.
  const from = hanoiDayOf(new Date(Date.now() - 24 * 3600_000));
  const to = hanoiDayOf(new Date(Date.now() + 24 * 3600_000));

  beforeAll(async () => {
    [dossierDatabase, reportingDatabase] = await Promise.all([
      createTestDatabase('reconcile_dossier'),
      createTestDatabase('reconcile_reporting'),
    ]);
    await createTestTopics([
      { topic: dossierTopic, numPartitions: 3 },
      { topic: signingTopic, numPartitions: 1 },
    ]);
    const kafka = testKafkaBrokers().join(',');
    [dossierService, reportingService] = await Promise.all([
      startDossierProcess({
        DATABASE_URL: dossierDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        DOSSIER_EVENTS_TOPIC: dossierTopic,
        DOSSIER_EVENTS_PARTITIONS: '3',
        SIGNING_EVENTS_TOPIC: signingTopic,
        DOSSIER_CONSUMER_GROUP: uniqueName('test_reconcile_dossier'),
      }),
      startReportingProcess({
        DATABASE_URL: reportingDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        REPORTING_TOPICS: dossierTopic,
        REPORTING_CONSUMER_GROUP: uniqueName('test_reconcile_reporting'),
      }),
    ]);
    await waitUntilLive(reportingService);
  });

  afterAll(async () => {
    await dossierService?.stop();
    if (reportingService && reportingService.child.exitCode === null) reportingService.child.kill('SIGTERM');
    await reportingService?.exited;
    await Promise.all([dossierDatabase?.drop(), reportingDatabase?.drop()]);
  });

  async function post(path: string, token: string, body: object): Promise<DossierView> {
    const response = await fetch(`${dossierService.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': uniqueName('reconcile'),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as DossierView;
  }

  let applicantNumber = 0;
  function fileAtDesk(unitCode: string, procedureCode: string, channel: string, digitised: boolean) {
    applicantNumber += 1;
    return async () =>
      post('/dossiers', await signTestToken(keys.privatePem, { roles: ['officer'], units: [unitCode] }), {
        unitCode,
        procedureCode,
        channel,
        digitised,
        applicant: {
          fullName: 'Nguyễn Văn Đối Soát',
          nationalId: `0010990${String(applicantNumber).padStart(5, '0')}`,
          phone: '0912345678',
        },
        attachments: [
          { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 1234, sha256: 'a'.repeat(64) },
        ],
      });
  }

  async function submitOnline(unitCode: string, procedureCode: string) {
    applicantNumber += 1;
    return post('/dossiers/online', await signTestToken(keys.privatePem, { roles: ['service'], units: [] }), {
      unitCode,
      procedureCode,
      applicant: {
        fullName: 'Trần Thị Trực Tuyến',
        nationalId: `0791880${String(applicantNumber).padStart(5, '0')}`,
      },
      attachments: [
        { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 4321, sha256: 'b'.repeat(64) },
      ],
    });
  }

  /** Runs `actions` in order as the unit's officer (or unit head), each with the version of the last answer. */
  async function move(dossier: DossierView, unitCode: string, actions: [string, object?, string?][]) {
    let current = dossier;
    for (const [action, body = {}, role = 'officer'] of actions) {
      const token = await signTestToken(keys.privatePem, { roles: [role], units: [unitCode] });
      current = await post(`/dossiers/${current.id}/${action}`, token, {
        expectedVersion: current.version,
        ...body,
      });
    }
    return current;
  }

  function reconcile(...extra: string[]): Promise<CommandResult> {
    return signTestToken(keys.privatePem, { roles: ['auditor'], units: [] }).then((token) =>
      runReportingCommand('reconcile/reconcile.cli.ts', ['--from', from, '--to', to, ...extra], {
        DATABASE_URL: reportingDatabase.url,
        DOSSIER_API_URL: dossierService.baseUrl,
        RECONCILE_TOKEN: token,
      }),
    );
  }

  it('finds no difference once reporting has consumed the dossiers, then exactly the counter row deleted', async () => {
    // Ward A: four received (one online), two resolved on time, one of them returned, one left open.
    const a1 = await fileAtDesk(WARD_A, RESIDENCE, 'direct', true)();
    await move(a1, WARD_A, [['start-processing'], ['resolve'], ['return-result']]);
    await fileAtDesk(WARD_A, PERMANENT_RESIDENCE, 'postal', false)();
    const a3 = await fileAtDesk(WARD_A, BIRTH, 'agent', false)();
    await move(a3, WARD_A, [['start-processing'], ['resolve', { resultDocumentSha256: 'c'.repeat(64) }]]);
    await move(await submitOnline(WARD_A, RESIDENCE), WARD_A, [['accept']]);
    // Ward B: one withdrawn, one stopped by the unit head, one online submission refused at intake.
    await move(await fileAtDesk(WARD_B, COPY, 'direct', true)(), WARD_B, [
      ['withdraw', { reason: 'Công dân rút hồ sơ' }],
    ]);
    await move(await fileAtDesk(WARD_B, RESIDENCE, 'direct', false)(), WARD_B, [
      ['stop', { reason: 'Thiếu căn cứ giải quyết' }, 'unit-head'],
    ]);
    await move(await submitOnline(WARD_B, BIRTH), WARD_B, [
      ['refuse', { reason: 'Hồ sơ không đúng thủ tục' }],
    ]);

    // The source's own counts for the period, asked the way the command asks (Hanoi-day instants).
    const auditor = await signTestToken(keys.privatePem, { roles: ['auditor'], units: [] });
    const stats = await fetch(`${dossierService.baseUrl}/dossiers/stats?${statsQueryFor({ from, to })}`, {
      headers: { authorization: `Bearer ${auditor}` },
    }).then((r) => r.json() as Promise<{ units: Record<string, unknown>[] }>);
    expect(stats.units).toEqual([
      expect.objectContaining({
        unitCode: WARD_A,
        submittedOnline: 1,
        received: 4,
        receivedOnline: 1,
        receivedDigitised: 2, // the desk's digitised one and the online one
        resolved: 2,
        resolvedOnTime: 2,
        resultReturned: 1,
        refusedAtIntake: 0,
        withdrawn: 0,
        stopped: 0,
      }),
      expect.objectContaining({
        unitCode: WARD_B,
        submittedOnline: 1,
        received: 2,
        refusedAtIntake: 1,
        withdrawn: 1,
        stopped: 1,
        resolved: 0,
      }),
    ]);

    // Eventually consistent: wait until reporting has applied every event and nothing waits.
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    await eventually(
      async () => {
        const response = await fetch(
          `${reportingService.baseUrl}/reports/city/summary?from=${from}&to=${to}`,
          {
            headers: { authorization: `Bearer ${admin}` },
          },
        );
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${response.status} ${text}`);
        const body = JSON.parse(text) as {
          figures: { dossiers: Record<string, number> };
          freshness: { consumerLag: { messages: number } };
        };
        const d = body.figures.dossiers;
        const seen = [
          d.received,
          d.submittedOnline,
          d.resolved,
          d.returned,
          d.withdrawn,
          d.stopped,
          d.refusedAtIntake,
        ];
        if (seen.join() !== [6, 2, 2, 1, 1, 1, 1].join()) throw new Error(`reporting has ${seen.join()}`);
        if (body.freshness.consumerLag.messages !== 0)
          throw new Error(`consumer lag ${body.freshness.consumerLag.messages}`);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    const clean = await reconcile();
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain(`0 difference(s) for ${from}..${to}`);
    expect(clean.code).toBe(0);
    const oneUnit = await reconcile('--unit', WARD_B);
    expect(oneUnit.stdout).toContain('0 difference(s)');
    expect(oneUnit.code).toBe(0);

    // A known difference: reporting loses the counter row of ward A's one postal intake.
    const db = new Client({ connectionString: reportingDatabase.url });
    await db.connect();
    try {
      const [{ schema_name: schema }] = (
        await db.query<{ schema_name: string }>(
          `SELECT g.schema_name FROM reporting_current c JOIN reporting_generation g USING (generation)`,
        )
      ).rows as [{ schema_name: string }];
      const deleted = await db.query<{ value: string }>(
        `DELETE FROM "${schema}".daily_counter
          WHERE unit_code = $1 AND metric = 'dossier.received' AND dim1 = 'postal' AND dim3 = $2
          RETURNING value`,
        [WARD_A, PERMANENT_RESIDENCE],
      );
      expect(deleted.rows.map((row) => Number(row.value))).toEqual([1]);
    } finally {
      await db.end();
    }

    const broken = await reconcile();
    const differenceLines = broken.stdout.split('\n').filter((line) => /^\d{5} /.test(line));
    expect(differenceLines).toEqual([`${WARD_A} received: dossier service 4, reporting 3`]);
    expect(broken.stdout).toContain(`1 difference(s) for ${from}..${to}`);
    expect(broken.code).toBe(1);
    // The other ward is untouched.
    expect((await reconcile('--unit', WARD_B)).code).toBe(0);
  });
});
