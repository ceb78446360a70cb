import { readTopicUntil } from '@backbone/testing';
import { eventsOf } from '@backbone/testing/service-app';
import { Client } from 'pg';
import { seedMembers } from './support/seed';
import { type PartyFeeTestApp, startPartyFee } from './support/party-fee-app';

/**
 * Issue 15's proof of the monthly batch: 10,000 members assessed twice (the second time while a
 * concurrent run races it, as another instance would) → exactly 10,000 assessments and exactly
 * 10,000 `party-fee.assessed.v1` on Kafka, one per assessment.
 */
describe('monthly assessment of 10,000 members (real PostgreSQL and Kafka)', () => {
  let t: PartyFeeTestApp;
  let sql: Client;
  let memberIds: string[];

  beforeAll(async () => {
    t = await startPartyFee({ PARTY_FEE_ASSESSMENT_CHUNK: '1000' });
    sql = new Client({ connectionString: t.database.url });
    await sql.connect();
    ({ memberIds } = await seedMembers(sql, {
      cells: 200,
      perCell: 50,
      unitCodes: ['00070', '00103', '00466'],
      fromPeriod: '2026-02',
      basisFromPeriod: '2026-01',
    }));
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  it('creates one assessment per member however often and however concurrently it runs', async () => {
    const admin = await t.token('city-admin-1', ['city-admin'], []);
    const first = await t.call('POST', '/assessment-runs', admin, { period: '2026-02' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      period: '2026-02',
      ruleCode: '01-QD/TW',
      created: 10_000,
      skippedCount: 0,
    });
    const [again, racing] = await Promise.all([
      t.call('POST', '/assessment-runs', admin, { period: '2026-02' }),
      t.call('POST', '/assessment-runs', admin, { period: '2026-02' }),
    ]);
    expect(again.body.created + racing.body.created).toBe(0);
    const rows = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT member_id)::int AS members, sum(amount_vnd)::bigint::text AS total FROM party_fee_assessments WHERE period = '2026-02'`,
    );
    expect(rows.rows[0]).toEqual({ n: 10_000, members: 10_000, total: String(10_000 * 80_000) });

    const records = await readTopicUntil(
      t.topic,
      (all) => {
        if (all.length < 10_000) throw new Error(`${all.length} of 10,000 events`);
      },
      120_000,
    );
    const events = eventsOf(records).filter((e) => e.type === 'party-fee.assessed.v1');
    expect(events).toHaveLength(10_000);
    expect(new Set(events.map((e) => (e.data as { assessmentId: string }).assessmentId)).size).toBe(10_000);
    expect(new Set(events.map((e) => e.subject))).toEqual(new Set(memberIds));
  }, 240_000);
});
