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
import { runReportingCommand, type ServiceProcess, waitUntilLive } from './support/dossier-process';
import { startPartyFeeProcess } from './support/party-fee-process';
import { type ReportingProcess, startReportingProcess } from './support/reporting-process';

const WARD_A = '00070';
const WARD_B = '00103';

/**
 * Issue 15: the party-fee service and the reporting service as processes on their own databases;
 * members registered and fees paid (and one reversed) through the party-fee API; reporting's
 * members, transactions and VND collected then equal the party-fee service's own counts
 * (reconcile with PARTY_FEE_API_URL).
 */
describe('reconcile party fees (party-fee and reporting service processes, real Kafka and PostgreSQL)', () => {
  const keys = testSigningKeys();
  const topic = uniqueName('test_reconcile_party_fee_events');
  let partyFeeDatabase: TestDatabase;
  let reportingDatabase: TestDatabase;
  let partyFee: ServiceProcess;
  let reporting: ReportingProcess;
  const from = hanoiDayOf(new Date(Date.now() - 24 * 3600_000));
  const to = hanoiDayOf(new Date(Date.now() + 24 * 3600_000));

  beforeAll(async () => {
    [partyFeeDatabase, reportingDatabase] = await Promise.all([
      createTestDatabase('reconcile_party_fee'),
      createTestDatabase('reconcile_pf_reporting'),
    ]);
    await createTestTopics([{ topic, numPartitions: 3 }]);
    const kafka = testKafkaBrokers().join(',');
    [partyFee, reporting] = await Promise.all([
      startPartyFeeProcess({
        DATABASE_URL: partyFeeDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        PARTY_FEE_EVENTS_TOPIC: topic,
        PARTY_FEE_EVENTS_PARTITIONS: '3',
      }),
      startReportingProcess({
        DATABASE_URL: reportingDatabase.url,
        KAFKA_BROKERS: kafka,
        JWT_PUBLIC_KEY: keys.publicPem,
        REPORTING_TOPICS: topic,
        REPORTING_CONSUMER_GROUP: uniqueName('test_reconcile_pf_reporting'),
      }),
    ]);
    await waitUntilLive(reporting);
  }, 180_000);

  afterAll(async () => {
    await partyFee?.stop();
    if (reporting && reporting.child.exitCode === null) reporting.child.kill('SIGTERM');
    await reporting?.exited;
    await Promise.all([partyFeeDatabase?.drop(), reportingDatabase?.drop()]);
  });

  async function post(path: string, token: string, body: object, key = true) {
    const response = await fetch(`${partyFee.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': uniqueName('pf') } : {}),
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
  }

  it('finds no difference in members, transactions and VND collected', async () => {
    const admin = await signTestToken(keys.privatePem, { roles: ['city-admin'], units: [] });
    const cellA = await post('/cells', admin, {
      code: 'chi-bo-a',
      name: 'A',
      unitCode: WARD_A,
      bankBin: '970436',
      bankAccount: '100',
    });
    const cellB = await post('/cells', admin, {
      code: 'chi-bo-b',
      name: 'B',
      unitCode: WARD_B,
      bankBin: '970436',
      bankAccount: '200',
    });
    const member = (cellId: string, i: number) =>
      post('/members', admin, {
        cardNumber: `01-55000${i}`,
        name: `Đảng viên ${i}`,
        cellId,
        category: 'other',
      });
    const m1 = await member(cellA.id, 1);
    const m2 = await member(cellA.id, 2);
    const m3 = await member(cellB.id, 3);
    await post('/assessment-runs', admin, { period: hanoiDayOf(new Date()).slice(0, 7) }, false);
    const p1 = await post('/payments/cash', admin, { memberId: m1.id, amountVnd: 5_000 });
    await post('/payments/cash', admin, { memberId: m2.id, amountVnd: 60_000 });
    await post('/payments/cash', admin, { memberId: m3.id, amountVnd: 5_000 });
    await post(`/payments/${p1.paymentId}/reversals`, admin, { reason: 'Entered twice' });

    await eventually(
      async () => {
        const response = await fetch(`${reporting.baseUrl}/reports/city/summary?from=${from}&to=${to}`, {
          headers: { authorization: `Bearer ${admin}` },
        });
        const body = (await response.json()) as {
          figures: { partyFees: { membersRegistered: number; transactions: number; collectedVnd: number } };
          freshness: { consumerLag: { messages: number } };
        };
        const f = body.figures.partyFees;
        if ([f.membersRegistered, f.transactions, f.collectedVnd].join() !== [3, 2, 65_000].join())
          throw new Error(`reporting has ${JSON.stringify(f)}`);
        if (body.freshness.consumerLag.messages !== 0) throw new Error('consumer lag');
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    const auditor = await signTestToken(keys.privatePem, { roles: ['auditor'], units: [] });
    const clean = await runReportingCommand('reconcile/reconcile.cli.ts', ['--from', from, '--to', to], {
      DATABASE_URL: reportingDatabase.url,
      PARTY_FEE_API_URL: partyFee.baseUrl,
      RECONCILE_TOKEN: auditor,
    });
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain(`0 difference(s) for ${from}..${to}`);
    expect(clean.code).toBe(0);
  }, 180_000);
});
