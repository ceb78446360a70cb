import { readTopicUntil } from '@backbone/testing';
import { eventsOf } from '@backbone/testing/service-app';
import { getCrcInfo, parseQR, QRParseMode, type TlvEntity, TlvParserService } from 'emvco-qr-sdk';
import { Client } from 'pg';
import { signPortalCallback } from '../src/payments/portal-signature';
import { camt053 } from './builders/statements';
import { newKey, type PartyFeeTestApp, startPartyFee } from './support/party-fee-app';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ
const ACCOUNT_A = '1111000001';
const ACCOUNT_B = '2222000002';

/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are read field by field */

/**
 * Issue 15 end to end on the real broker and database: cells, members, assessments across the
 * 342/01 boundary, cash with idempotency, partial/advance/over-payment, credit, reversal, VietQR
 * (decoded by an independent EMV parser), the portal's signed callback, camt.053 imported twice,
 * unmatched lines, transfer, corrections, exemptions, arrears, remittance, reconciliation against
 * the ledger, unit scope, and no name or card number on the wire.
 */
describe('party-fee service (real PostgreSQL and Kafka)', () => {
  let t: PartyFeeTestApp;
  let sql: Client;
  let admin: string,
    committeeA: string,
    committeeB: string,
    treasurerA: string,
    treasurerB: string,
    portal: string;
  const cells: Record<string, any> = {};
  const members: Record<string, any> = {};
  const names = ['Nguyễn Văn Bình', 'Trần Thị Hoa', 'Lê Minh Châu', 'Phạm Quốc Dũng'];
  const cards = ['01-7700001', '01-7700002', '01-7700003', '01-7700004'];

  beforeAll(async () => {
    t = await startPartyFee();
    sql = new Client({ connectionString: t.database.url });
    await sql.connect();
    admin = await t.token('city-admin-1', ['city-admin'], []);
    committeeA = await t.token('committee-a', ['officer'], [WARD_A]);
    committeeB = await t.token('committee-b', ['officer'], [WARD_B]);
    treasurerA = await t.token('treasurer-a', ['party-cell-treasurer'], [WARD_A]);
    treasurerB = await t.token('treasurer-b', ['party-cell-treasurer'], [WARD_B]);
    portal = await t.token('national-portal', ['service'], []);
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  const month = async (memberId: string, period: string) =>
    ((await t.call('GET', `/members/${memberId}`, admin)).body.months as any[]).find(
      (m) => m.period === period,
    );

  it('creates cells under committees and keeps them to their units', async () => {
    expect(
      (
        await t.call('POST', '/committees', admin, {
          unitCode: WARD_A,
          name: 'Đảng ủy phường Hoàn Kiếm',
          validFrom: '2025-07-01',
        })
      ).status,
    ).toBe(201);
    const make = async (
      token: string,
      code: string,
      unitCode: string,
      account: string,
      treasurerSubject: string,
    ) => {
      const r = await t.call('POST', '/cells', token, {
        code,
        name: `Chi bộ ${code}`,
        unitCode,
        bankBin: '970436',
        bankAccount: account,
        treasurerSubject,
      });
      expect(r.status).toBe(201);
      return r.body;
    };
    cells.a = await make(committeeA, 'chi-bo-hoan-kiem-1', WARD_A, ACCOUNT_A, 'treasurer-a');
    cells.b = await make(committeeB, 'chi-bo-tay-ho-3', WARD_B, ACCOUNT_B, 'treasurer-b');
    expect(
      (
        await t.call('POST', '/cells', committeeA, {
          code: 'chi-bo-x',
          name: 'x',
          unitCode: WARD_B,
          bankBin: '970436',
          bankAccount: '1',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.call('POST', '/cells', committeeA, {
          code: 'chi-bo-y',
          name: 'y',
          unitCode: '99999',
          bankBin: '970436',
          bankAccount: '1',
        })
      ).status,
    ).toBe(400);
    const seen = (await t.call('GET', '/cells', treasurerA)).body.cells.map((c: any) => c.code);
    expect(seen).toEqual(['chi-bo-hoan-kiem-1']);
    expect((await t.call('GET', `/cells/${cells.b.id}`, treasurerA)).status).toBe(404);
  });

  it('registers members with the name and card number encrypted, blind-indexed, never in an event', async () => {
    const register = (token: string, i: number, body: object) =>
      t.call('POST', '/members', token, {
        cardNumber: cards[i],
        name: names[i],
        feesFromPeriod: '2026-01',
        ...body,
      });
    const m1 = await register(treasurerA, 0, {
      cellId: cells.a.id,
      category: 'official',
      basis: { kind: 'salary-and-allowances', amountVnd: 8_500_000 },
    });
    expect(m1.status).toBe(201);
    expect(m1.body).toMatchObject({
      name: names[0],
      cardNumber: cards[0],
      unitCode: WARD_A,
      status: 'active',
    });
    members.m1 = m1.body;
    members.m2 = (
      await register(committeeA, 1, { cellId: cells.a.id, category: 'other', pastWorkingAge: true })
    ).body;
    members.m3 = (await register(committeeB, 2, { cellId: cells.b.id, category: 'student' })).body;
    members.m4 = (await register(committeeA, 3, { cellId: cells.a.id, category: 'other' })).body;

    expect((await register(committeeA, 0, { cellId: cells.a.id, category: 'other' })).status).toBe(409);
    expect(
      (await register(treasurerA, 0, { cellId: cells.b.id, category: 'other', cardNumber: '01-99' })).status,
    ).toBe(404);
    expect(
      (await register(committeeA, 0, { cellId: cells.a.id, category: 'official', cardNumber: '01-98' }))
        .status,
    ).toBe(400);

    const stored = await sql.query(
      `SELECT card_number_cipher, name_cipher FROM party_members WHERE id = $1`,
      [members.m1.id],
    );
    expect(JSON.stringify(stored.rows)).not.toContain(names[0]);
    expect(JSON.stringify(stored.rows)).not.toContain(cards[0]);
    const found = await t.call('GET', `/members?cardNumber=${encodeURIComponent(cards[0]!)}`, committeeA);
    expect(found.body.members.map((m: any) => m.id)).toEqual([members.m1.id]);
    const byName = await t.call(
      'GET',
      `/members?name=${encodeURIComponent('  nguyễn văn  BÌNH ')}`,
      committeeA,
    );
    expect(byName.body.members.map((m: any) => m.id)).toEqual([members.m1.id]);
    expect(
      (await t.call('GET', `/members?cardNumber=${encodeURIComponent(cards[0]!)}`, committeeB)).body.members,
    ).toEqual([]);
    expect((await t.call('GET', `/members/${members.m1.id}`, committeeB)).status).toBe(404);
  });

  it('assesses each active member once per month by the rule of that month, safe to run twice', async () => {
    const jan = await t.call('POST', '/assessment-runs', admin, { period: '2026-01' });
    expect(jan.body).toMatchObject({ ruleCode: '342-QD/TW', created: 4 });
    expect((await t.call('POST', '/assessment-runs', admin, { period: '2026-01' })).body).toMatchObject({
      created: 0,
    });
    const [feb, febAgain] = await Promise.all([
      t.call('POST', '/assessment-runs', admin, { period: '2026-02' }),
      t.call('POST', '/assessment-runs', admin, { period: '2026-02' }),
    ]);
    expect(feb.body.created + febAgain.body.created).toBe(4);
    expect(feb.body.ruleCode).toBe('01-QD/TW');
    expect((await t.call('POST', '/assessment-runs', committeeA, { period: '2026-02' })).status).toBe(403);
    const count = await sql.query(
      `SELECT period, count(*)::int AS n FROM party_fee_assessments GROUP BY period ORDER BY period`,
    );
    expect(count.rows).toEqual([
      { period: '2026-01', n: 4 },
      { period: '2026-02', n: 4 },
    ]);
    expect(await month(members.m1.id, '2026-01')).toMatchObject({ ruleCode: '342-QD/TW', dueVnd: 85_000 });
    expect(await month(members.m1.id, '2026-02')).toMatchObject({ ruleCode: '01-QD/TW', dueVnd: 85_000 });
    expect(await month(members.m2.id, '2026-01')).toMatchObject({ dueVnd: 2_500 });
    expect(await month(members.m2.id, '2026-02')).toMatchObject({ dueVnd: 5_000 });
    expect(await month(members.m3.id, '2026-01')).toMatchObject({ dueVnd: 3_000 });
    expect(await month(members.m3.id, '2026-02')).toMatchObject({ dueVnd: 5_000 });
  });

  it('records cash once per Idempotency-Key: a retry is replayed, another body under the key refused', async () => {
    const key = newKey();
    const body = { memberId: members.m1.id, amountVnd: 30_000, paidAt: '2026-01-20T09:00:00+07:00' };
    const first = await t.call('POST', '/payments/cash', treasurerA, body, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      allocations: [{ period: '2026-01', amountVnd: 30_000 }],
      creditedVnd: 0,
      receiptNumber: 1,
      receipt: 'chi-bo-hoan-kiem-1/2026/000001',
    });
    const retry = await t.call('POST', '/payments/cash', treasurerA, body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.paymentId).toBe(first.body.paymentId);
    expect(
      (await t.call('POST', '/payments/cash', treasurerA, { ...body, amountVnd: 31_000 }, key)).status,
    ).toBe(409);
    const missing = await t.call('POST', '/payments/cash', treasurerA, body);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect((await t.call('POST', '/payments/cash', treasurerB, body, newKey())).status).toBe(404);
    expect((await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n).toBe(1);
    members.firstPayment = first.body.paymentId;
  });

  it('allocates to the oldest open month, carries the rest as credit and applies it to the next month', async () => {
    const advance = await t.call(
      'POST',
      '/payments/cash',
      treasurerA,
      { memberId: members.m1.id, amountVnd: 200_000, paidAt: '2026-02-05T09:00:00+07:00' },
      newKey(),
    );
    expect(advance.body).toMatchObject({
      allocations: [
        { period: '2026-01', amountVnd: 55_000 },
        { period: '2026-02', amountVnd: 85_000 },
      ],
      creditedVnd: 60_000,
      creditVnd: 60_000,
      receiptNumber: 2,
    });
    members.advance = advance.body.paymentId;
    const mar = await t.call('POST', '/assessment-runs', admin, { period: '2026-03' });
    expect(mar.body).toMatchObject({ created: 4, creditApplied: 1 });
    expect(await month(members.m1.id, '2026-03')).toMatchObject({
      dueVnd: 85_000,
      paidVnd: 60_000,
      openVnd: 25_000,
    });
    expect((await t.call('GET', `/members/${members.m1.id}`, admin)).body.creditVnd).toBe(0);
  });

  it('reverses a payment with a new record that takes back its months and the credit it funded', async () => {
    const reversal = await t.call(
      'POST',
      `/payments/${members.advance}/reversals`,
      committeeA,
      { reason: 'Cheque bounced' },
      newKey(),
    );
    expect(reversal.status).toBe(201);
    expect(reversal.body.takenBack).toEqual([
      { period: '2026-01', amountVnd: -55_000 },
      { period: '2026-02', amountVnd: -85_000 },
      { period: '2026-03', amountVnd: -60_000 },
    ]);
    expect(reversal.body.creditVnd).toBe(0);
    expect(
      (
        await t.call(
          'POST',
          `/payments/${members.advance}/reversals`,
          committeeA,
          { reason: 'again' },
          newKey(),
        )
      ).status,
    ).toBe(409);
    expect(await month(members.m1.id, '2026-01')).toMatchObject({ paidVnd: 30_000, openVnd: 55_000 });
    expect(await month(members.m1.id, '2026-03')).toMatchObject({ paidVnd: 0 });
    const payment = await t.call('GET', `/payments/${members.advance}`, treasurerA);
    expect(payment.body.reversed).toMatchObject({ reason: 'Cheque bounced' });
    expect(payment.body.amountVnd).toBe(200_000);
  });

  it('issues a VietQR code that an independent EMV parser reads back: account, amount, reference', async () => {
    const request = await t.call(
      'POST',
      `/members/${members.m1.id}/payment-requests`,
      treasurerA,
      {},
      newKey(),
    );
    expect(request.status).toBe(201);
    expect(request.body.amountVnd).toBe(55_000 + 85_000 + 85_000);
    expect(request.body.qrImage).toMatch(/^data:image\/png;base64,/);
    const decoded = decodeWithIndependentParser(request.body.payload);
    expect(decoded).toEqual({
      bin: '970436',
      account: ACCOUNT_A,
      amount: '225000',
      reference: request.body.reference,
      crcValid: true,
    });
    members.request = request.body;
  });

  it('imports a camt.053 statement: records the transfer, lists the unknown line, and matches nothing new the second time', async () => {
    const xml = camt053(ACCOUNT_A, [
      {
        ref: 'FT2604100001',
        amount: 225_000,
        day: '2026-02-10',
        text: `CK ${members.request.reference} dong dang phi`,
      },
      { ref: 'FT2604100002', amount: 12_345, day: '2026-02-10', text: 'chuyen tien' },
      { ref: 'FT2604100003', amount: 9_999, day: '2026-02-10', text: 'phi', credit: false },
    ]);
    const first = await t.call('POST', '/statements', treasurerA, { format: 'camt053', content: xml });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      lines: 2,
      alreadyImported: 0,
      recordedPayments: 1,
      matchedPayments: 0,
      unmatched: 1,
    });
    const paymentsBefore = (await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n;
    const second = await t.call('POST', '/statements', treasurerA, { format: 'camt053', content: xml });
    expect(second.body).toMatchObject({
      lines: 2,
      alreadyImported: 2,
      recordedPayments: 0,
      matchedPayments: 0,
      unmatched: 0,
    });
    expect((await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n).toBe(
      paymentsBefore,
    );
    expect(await month(members.m1.id, '2026-03')).toMatchObject({ openVnd: 0 });

    const unmatched = await t.call('GET', '/statement-lines/unmatched', treasurerA);
    expect(unmatched.body.lines).toEqual([
      expect.objectContaining({ amountVnd: 12_345, account: ACCOUNT_A }),
    ]);
    expect((await t.call('GET', '/statement-lines/unmatched', treasurerB)).body.lines).toEqual([]);
    const resolved = await t.call(
      'POST',
      `/statement-lines/${unmatched.body.lines[0].id}/resolution`,
      treasurerA,
      { memberId: members.m2.id, note: 'Member 2 forgot the reference' },
    );
    expect(resolved.status).toBe(201);
    expect((await t.call('GET', '/statement-lines/unmatched', treasurerA)).body.lines).toEqual([]);
    expect(await month(members.m2.id, '2026-03')).toMatchObject({ dueVnd: 5_000, paidVnd: 4_845 });

    const csv = 'date,amount,description,transaction_id\n2026-02-11,1000,no reference,T-1\n';
    expect(
      (await t.call('POST', '/statements', treasurerA, { format: 'csv', content: csv, account: ACCOUNT_A }))
        .body,
    ).toMatchObject({ unmatched: 1 });
    expect(
      (await t.call('POST', '/statements', treasurerA, { format: 'csv', content: csv, account: ACCOUNT_A }))
        .body,
    ).toMatchObject({ unmatched: 0, alreadyImported: 1 });
    expect(
      (
        await t.call('POST', '/statements', treasurerA, {
          format: 'camt053',
          content: '<!DOCTYPE x [<!ENTITY a "b">]><Document/>',
        })
      ).status,
    ).toBe(400);
  });

  it('lists a second transfer for an already paid code for the treasurer, never pays it twice', async () => {
    const xml = camt053(ACCOUNT_A, [
      { ref: 'FT2604120009', amount: 225_000, day: '2026-02-12', text: `CK ${members.request.reference}` },
    ]);
    const payments = (await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n;
    expect(
      (await t.call('POST', '/statements', treasurerA, { format: 'camt053', content: xml })).body,
    ).toMatchObject({
      recordedPayments: 0,
      matchedPayments: 0,
      unmatched: 1,
    });
    expect((await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n).toBe(payments);
    const lines = (await t.call('GET', '/statement-lines/unmatched', treasurerA)).body.lines as any[];
    const line = lines.find((l) => l.reference === members.request.reference);
    expect(line).toMatchObject({ amountVnd: 225_000, bookedOn: '2026-02-12' });
    const note = await t.call('POST', `/statement-lines/${line.id}/resolution`, treasurerA, {
      note: 'Paid twice: refunded by the bank',
    });
    expect(note.body).toMatchObject({ paymentId: null });
    const left = (await t.call('GET', '/statement-lines/unmatched', treasurerA)).body.lines as any[];
    expect(left.map((l) => l.id)).not.toContain(line.id);
  });

  it('accepts the portal’s signed callback once per transaction and refuses a bad signature', async () => {
    const fields = {
      transactionId: 'DVCQG-2026-0001',
      reference: members.m3.paymentReference,
      amountVnd: 10_000,
      paidAt: '2026-03-15T02:00:00.000Z',
    };
    const signature = signPortalCallback(fields, t.config.PORTAL_CALLBACK_KEY);
    const paid = await t.call(
      'POST',
      '/payments/portal-callbacks',
      portal,
      { ...fields, signature },
      newKey(),
    );
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      method: 'portal',
      channel: 'online',
      allocations: [
        { period: '2026-01', amountVnd: 3_000 },
        { period: '2026-02', amountVnd: 5_000 },
        { period: '2026-03', amountVnd: 2_000 },
      ],
    });
    const again = await t.call(
      'POST',
      '/payments/portal-callbacks',
      portal,
      { ...fields, signature },
      newKey(),
    );
    expect(again.body.paymentId).toBe(paid.body.paymentId);
    const forged = await t.call(
      'POST',
      '/payments/portal-callbacks',
      portal,
      { ...fields, amountVnd: 1_000_000, signature },
      newKey(),
    );
    expect(forged.status).toBe(401);
    expect(
      (await t.call('POST', '/payments/portal-callbacks', treasurerA, { ...fields, signature }, newKey()))
        .status,
    ).toBe(403);
    // The settlement on cell B's account matches the recorded payment by reference and amount.
    const settled = await t.call('POST', '/statements', treasurerB, {
      format: 'camt053',
      content: camt053(ACCOUNT_B, [
        { ref: 'FT-B-1', amount: 10_000, day: '2026-03-16', text: `DVCQG ${members.m3.paymentReference}` },
      ]),
    });
    expect(settled.body).toMatchObject({ matchedPayments: 1, recordedPayments: 0, unmatched: 0 });
  });

  it('transfers a member with their open months', async () => {
    const transfer = await t.call(
      'POST',
      `/members/${members.m4.id}/transfer`,
      committeeA,
      { toCellId: cells.b.id, reason: 'Moved to Tây Hồ' },
      newKey(),
    );
    expect(transfer.status).toBe(201);
    expect(transfer.body).toMatchObject({
      fromCellId: cells.a.id,
      toCellId: cells.b.id,
      openArrearsVnd: 5_000 + 5_000 + 5_000,
    });
    const m4 = await t.call('GET', `/members/${members.m4.id}`, committeeB);
    expect(m4.body.cellId).toBe(cells.b.id);
    expect(m4.body.history.map((h: any) => h.change)).toEqual(['registered', 'transferred']);
  });

  it('flags three unexcused unpaid months once, on the committee’s list', async () => {
    const scan = await t.call('POST', '/arrears/scans', admin, { asOfPeriod: '2026-03' });
    expect(scan.body).toEqual({ asOfPeriod: '2026-03', flagged: 1 });
    expect((await t.call('POST', '/arrears/scans', admin, { asOfPeriod: '2026-03' })).body.flagged).toBe(0);
    const list = await t.call('GET', '/arrears?asOfPeriod=2026-03', committeeB);
    expect(list.body.members).toEqual([
      expect.objectContaining({
        memberId: members.m4.id,
        name: names[3],
        unpaidPeriods: ['2026-01', '2026-02', '2026-03'],
        outstandingVnd: 15_000,
      }),
    ]);
    expect((await t.call('GET', '/arrears?asOfPeriod=2026-03', committeeA)).body.members).toEqual([]);
  });

  it('corrects a basis and exempts months with visible adjustments, never edits', async () => {
    const corrected = await t.call(
      'POST',
      `/members/${members.m1.id}/bases`,
      committeeA,
      {
        fromPeriod: '2026-01',
        kind: 'social-insurance-salary',
        amountVnd: 9_000_000,
        reason: 'Raise backdated',
      },
      newKey(),
    );
    expect(corrected.status).toBe(201);
    expect(corrected.body.adjustments).toEqual([
      { period: '2026-01', deltaVnd: 5_000, amountVnd: 90_000, releasedToCreditVnd: 0 },
      { period: '2026-02', deltaVnd: 5_000, amountVnd: 90_000, releasedToCreditVnd: 0 },
      { period: '2026-03', deltaVnd: 5_000, amountVnd: 90_000, releasedToCreditVnd: 0 },
    ]);
    expect(await month(members.m1.id, '2026-01')).toMatchObject({ assessedVnd: 85_000, dueVnd: 90_000 });
    const exempt = await t.call(
      'POST',
      `/members/${members.m3.id}/exemptions`,
      committeeB,
      { fromPeriod: '2026-02', toPeriod: '2026-03', reason: 'Exchange semester abroad' },
      newKey(),
    );
    expect(exempt.body).toMatchObject({
      adjustments: [
        { period: '2026-02', deltaVnd: -5_000, amountVnd: 0, releasedToCreditVnd: 5_000 },
        { period: '2026-03', deltaVnd: -5_000, amountVnd: 0, releasedToCreditVnd: 2_000 },
      ],
      creditVnd: 7_000,
    });
    const original = await sql.query(
      `SELECT amount_vnd::int AS v FROM party_fee_assessments WHERE member_id = $1 AND period = '2026-02'`,
      [members.m3.id],
    );
    expect(original.rows).toEqual([{ v: 5_000 }]);
  });

  it('records a remittance of the committee’s share, which only the committee confirms', async () => {
    const remittance = await t.call('POST', '/remittances', treasurerA, {
      cellId: cells.a.id,
      period: '2026-02',
    });
    expect(remittance.status).toBe(201);
    // February in cell A: the 200,000 advance (5 Feb) and the 225,000 transfer (10 Feb) and the resolved 12,345;
    // the reversal (today) is not February's.
    expect(remittance.body).toMatchObject({
      collectedVnd: 437_345,
      amountVnd: 131_204,
      ruleCode: '01-QD/TW',
    });
    expect(
      (await t.call('POST', '/remittances', treasurerA, { cellId: cells.a.id, period: '2026-02' })).status,
    ).toBe(409);
    expect(
      (await t.call('POST', `/remittances/${remittance.body.id}/confirmation`, treasurerA, {})).status,
    ).toBe(403);
    expect(
      (
        await t.call('POST', `/remittances/${remittance.body.id}/confirmation`, committeeA, {
          note: 'Received',
        })
      ).status,
    ).toBe(201);
    expect(
      (await t.call('POST', `/remittances/${remittance.body.id}/confirmation`, committeeA, {})).status,
    ).toBe(409);
  });

  it('reconciles each month per cell and per unit exactly to the ledger, as JSON and CSV', async () => {
    const thisMonth = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    for (const period of ['2026-01', '2026-02', '2026-03', thisMonth]) {
      const r = (await t.call('GET', `/reconciliation?period=${period}`, admin)).body;
      const ledger = (
        await sql.query(
          `SELECT
             (SELECT coalesce(sum(amount_vnd), 0) FROM party_fee_assessments WHERE period = $1)::bigint::text AS assessed,
             (SELECT coalesce(sum(delta_vnd), 0) FROM party_fee_adjustments WHERE period = $1)::bigint::text AS adjusted,
             (SELECT coalesce(sum(amount_vnd), 0) FROM party_fee_allocations WHERE period = $1)::bigint::text AS paid,
             (SELECT coalesce(sum(amount_vnd), 0) FROM party_fee_payments WHERE to_char(paid_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') = $1)::bigint::text AS received,
             (SELECT coalesce(sum(amount_vnd), 0) FROM party_fee_reversals WHERE to_char(reversed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') = $1)::bigint::text AS reversed,
             (SELECT coalesce(sum(amount_vnd), 0) FROM party_fee_remittances WHERE period = $1)::bigint::text AS remitted`,
          [period],
        )
      ).rows[0];
      expect(r.total.assessedVnd).toBe(Number(ledger.assessed));
      expect(r.total.adjustedVnd).toBe(Number(ledger.adjusted));
      expect(r.total.paidVnd).toBe(Number(ledger.paid));
      expect(r.total.collectedVnd).toBe(Number(ledger.received) - Number(ledger.reversed));
      expect(r.total.remittedVnd).toBe(Number(ledger.remitted));
      expect(r.total.movedInVnd).toBe(r.total.movedOutVnd);
      // Outstanding equals what each member's month still owes.
      let owed = 0;
      for (const m of Object.values(members).filter((x: any) => x?.id)) {
        const row = await month((m as any).id, period);
        if (row) owed += row.openVnd;
      }
      expect(r.total.outstandingVnd).toBe(owed);
      expect(r.total.retainedVnd + r.total.committeeShareVnd).toBe(r.total.collectedVnd);
      for (const unit of r.units) {
        const unitCells = r.cells.filter((c: any) => c.unitCode === unit.unitCode);
        expect(unit.paidVnd).toBe(unitCells.reduce((s: number, c: any) => s + c.paidVnd, 0));
        expect(unit.outstandingVnd).toBe(unitCells.reduce((s: number, c: any) => s + c.outstandingVnd, 0));
      }
    }
    const cellA = (await t.call('GET', '/reconciliation?period=2026-01', treasurerA)).body;
    expect(cellA.cells.map((c: any) => c.cellCode)).toEqual(['chi-bo-hoan-kiem-1']);
    const csv = await t.call('GET', '/reconciliation/export.csv?period=2026-02', committeeA);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toMatch(/^period,level,cellCode,unitCode,assessedVnd,/);
    expect(lines.at(-1)).toMatch(/^2026-02,total,\*,\*,/);
  });

  it('answers its own counts per unit for reporting’s reconciliation', async () => {
    const stats = await t.call(
      'GET',
      `/stats?from=2025-12-31T17:00:00Z&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`,
      portal,
    );
    expect(stats.status).toBe(200);
    const byUnit = Object.fromEntries(stats.body.units.map((u: any) => [u.unitCode, u]));
    const payments = (
      await sql.query(
        `SELECT unit_code, count(*)::int AS n, sum(amount_vnd)::int AS v FROM party_fee_payments GROUP BY unit_code`,
      )
    ).rows;
    const reversals = (
      await sql.query(
        `SELECT unit_code, count(*)::int AS n, sum(amount_vnd)::int AS v FROM party_fee_reversals GROUP BY unit_code`,
      )
    ).rows;
    for (const p of payments) {
      const r = reversals.find((x) => x.unit_code === p.unit_code) ?? { n: 0, v: 0 };
      expect(byUnit[p.unit_code]).toMatchObject({ payments: p.n, reversals: r.n, collectedVnd: p.v - r.v });
    }
    expect(byUnit[WARD_A].membersRegistered).toBe(3);
    expect(byUnit[WARD_B].membersRegistered).toBe(1);
    expect(
      (await t.call('GET', '/stats?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', committeeA)).status,
    ).toBe(403);
  });

  it('publishes every change, and no member name or card number ever reaches Kafka', async () => {
    const expected = (await sql.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = $1`, [t.topic]))
      .rows[0].n;
    const records = await readTopicUntil(t.topic, (all) => {
      if (all.length < expected) throw new Error(`${all.length} of ${expected} events`);
    });
    const wire = records
      .map((r) => `${r.key}|${JSON.stringify(r.headers)}|${r.value?.toString('utf8')}`)
      .join('\n');
    for (const secret of [...names, ...cards]) {
      expect(wire).not.toContain(secret);
      expect(wire.normalize('NFD')).not.toContain(secret.normalize('NFD'));
    }
    const types = eventsOf(records).reduce<Record<string, number>>(
      (acc, e) => ({ ...acc, [e.type]: (acc[e.type] ?? 0) + 1 }),
      {},
    );
    expect(types).toMatchObject({
      'party-member.registered.v1': 4,
      'party-fee.assessed.v1': 12,
      'party-fee.payment-reversed.v1': 1,
      'party-member.transferred.v1': 1,
      'party-member.arrears-flagged.v1': 1,
      'party-fee.assessment-adjusted.v1': 5,
    });
    expect(types['party-fee.paid.v1']).toBe(
      (await sql.query(`SELECT count(*)::int AS n FROM party_fee_payments`)).rows[0].n,
    );
    for (const e of eventsOf(records)) expect(e.subject).toBe((e.data as { memberId: string }).memberId);
  });

  it('moves a cell to another committee as a new effective-dated version, keeping the old one', async () => {
    const cell = (
      await t.call('POST', '/cells', committeeA, {
        code: 'chi-bo-sap-nhap',
        name: 'Chi bộ sáp nhập',
        unitCode: WARD_A,
        bankBin: '970436',
        bankAccount: '3333000003',
      })
    ).body;
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const backdated = {
      validFrom: '2020-01-01',
      unitCode: WARD_B,
      bankBin: '970436',
      bankAccount: '3333000003',
      reason: 'x',
    };
    expect((await t.call('POST', `/cells/${cell.id}/versions`, admin, backdated)).status).toBe(400);
    const moved = await t.call('POST', `/cells/${cell.id}/versions`, admin, {
      validFrom: today,
      unitCode: WARD_B,
      bankBin: '970436',
      bankAccount: '3333000003',
      treasurerSubject: 'treasurer-b',
      reason: 'Units reorganised',
    });
    expect(moved.status).toBe(201);
    const read = await t.call('GET', `/cells/${cell.id}`, committeeB);
    expect(read.body.unitCode).toBe(WARD_B);
    expect(read.body.versions.map((v: any) => [v.unitCode, v.reason])).toEqual([
      [WARD_A, 'created'],
      [WARD_B, 'Units reorganised'],
    ]);
    expect((await t.call('GET', `/cells/${cell.id}`, committeeA)).status).toBe(404);
    const future = await t.call('POST', `/cells/${cell.id}/versions`, admin, {
      validFrom: '2099-01-01',
      unitCode: WARD_A,
      bankBin: '970436',
      bankAccount: '3333000003',
      reason: 'Later',
    });
    expect(future.status).toBe(400);
  });
});

/**
 * The payload read by `emvco-qr-sdk` (an independent, maintained EMVCo MPM parser from npm), not by
 * this service's own reader: the CRC checked by it, the bank BIN and account inside tag 38, the
 * amount (54) and the reference (62.08).
 */
function decodeWithIndependentParser(payload: string) {
  const tlvs = parseQR(payload, { parseMode: QRParseMode.TLV }) as TlvEntity[];
  const raw = parseQR(payload, { parseMode: QRParseMode.RAW_OBJECT }) as Record<string, any>;
  const beneficiary = TlvParserService.parse(raw['38']['01'] as string);
  return {
    bin: beneficiary.find((t) => t.tag === '00')?.value,
    account: beneficiary.find((t) => t.tag === '01')?.value,
    amount: raw['54'],
    reference: raw['62']['08'],
    crcValid: getCrcInfo(payload, tlvs).isValid,
  };
}
