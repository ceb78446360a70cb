import { Client } from 'pg';
import { newKey, type PartyFeeTestApp, startPartyFee } from './support/party-fee-app';
import { seedMembers } from './support/seed';

/**
 * Issue 15's proof of "never charge twice": 1,000 cash payments at once, 10% of them sent again
 * under the same Idempotency-Key while the first is still running and once more afterwards →
 * exactly one payment per key, receipts unique and gap-free per cell and year.
 */
describe('1,000 concurrent payments with retries (real PostgreSQL)', () => {
  let t: PartyFeeTestApp;
  let sql: Client;
  let memberIds: string[];

  beforeAll(async () => {
    t = await startPartyFee();
    sql = new Client({ connectionString: t.database.url });
    await sql.connect();
    ({ memberIds } = await seedMembers(sql, {
      cells: 100,
      perCell: 10,
      unitCodes: ['00070', '00103'],
      fromPeriod: '2026-02',
      basisFromPeriod: '2026-01',
    }));
    const admin = await t.token('city-admin-1', ['city-admin'], []);
    expect((await t.call('POST', '/assessment-runs', admin, { period: '2026-02' })).body.created).toBe(1_000);
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  it('records exactly one payment per key', async () => {
    const token = await t.token('committee', ['officer'], ['00070', '00103']);
    const requests = memberIds.map((memberId, i) => ({
      key: newKey(),
      body: { memberId, amountVnd: 50_000 + (i % 3) * 20_000, paidAt: '2026-02-20T09:00:00+07:00' },
    }));
    const retried = requests.filter((_, i) => i % 10 === 0);
    const answers = await Promise.all([
      ...requests.map((r) => t.call('POST', '/payments/cash', token, r.body, r.key)),
      ...retried.map((r) => t.call('POST', '/payments/cash', token, r.body, r.key)),
    ]);
    // A concurrent duplicate is either answered from the key (replay) or told the first is still running (409).
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect(
      answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] !== 'true'),
    ).toHaveLength(1_000);

    // Every retry afterwards gets the one payment its key made.
    const later = await Promise.all(
      retried.map((r) => t.call('POST', '/payments/cash', token, r.body, r.key)),
    );
    for (const answer of later) {
      expect(answer.status).toBe(201);
      expect(answer.headers['idempotent-replayed']).toBe('true');
    }
    const counts = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT member_id)::int AS members FROM party_fee_payments`,
    );
    expect(counts.rows[0]).toEqual({ n: 1_000, members: 1_000 });
    const laterIds = new Set(later.map((a) => a.body.paymentId));
    expect(laterIds.size).toBe(retried.length);
    const ids = (await sql.query(`SELECT id FROM party_fee_payments`)).rows.map((r) => r.id);
    for (const id of laterIds) expect(ids).toContain(id);

    // Each payment allocated exactly once to the member's February; receipts 1..n per cell.
    const allocated = await sql.query(
      `SELECT count(*)::int AS n, count(DISTINCT payment_id)::int AS payments FROM party_fee_allocations`,
    );
    expect(allocated.rows[0]).toEqual({ n: 1_000, payments: 1_000 });
    const receipts = await sql.query(
      `SELECT cell_id, count(*)::int AS n, max(receipt_number) AS top, count(DISTINCT receipt_number)::int AS distinct_numbers
         FROM party_fee_payments GROUP BY cell_id`,
    );
    for (const row of receipts.rows) expect(row).toMatchObject({ n: 10, top: 10, distinct_numbers: 10 });
  }, 240_000);
});
