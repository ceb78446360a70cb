import { Client } from 'pg';
import { newKey, type PartyFeeTestApp, startPartyFee } from './support/party-fee-app';

const WARD = '00070'; // Phường Hoàn Kiếm

/**
 * The audited path for back-dated registrations (issue 17): the city admin imports a member with the
 * time of registration; the member and `party-member.registered.v1` carry that time (reporting counts
 * it on that day), the audit record is of the import, now, by the admin; nobody else may import.
 */
describe('party-fee member import (real PostgreSQL and Kafka)', () => {
  let t: PartyFeeTestApp;
  let sql: Client;
  let admin: string, committee: string, portal: string;
  let cellId: string;

  beforeAll(async () => {
    t = await startPartyFee();
    sql = new Client({ connectionString: t.database.url });
    await sql.connect();
    admin = await t.token('city-admin-1', ['city-admin'], []);
    committee = await t.token('committee-a', ['officer'], [WARD]);
    portal = await t.token('national-portal', ['service'], []);
    const cell = await t.call('POST', '/cells', committee, {
      code: 'chi-bo-import-1',
      name: 'Chi bộ import 1',
      unitCode: WARD,
      bankBin: '970436',
      bankAccount: '3333000003',
    });
    expect(cell.status).toBe(201);
    cellId = cell.body.id;
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  const body = (card: string, registeredAt: string) => ({
    cardNumber: card,
    name: 'Đỗ Thị Hạnh',
    cellId,
    category: 'pensioner',
    basis: { kind: 'pension', amountVnd: 6_000_000 },
    registeredAt,
  });

  it('keeps the registration time in the member and the event, and audits the import now', async () => {
    const registeredAt = new Date(Date.now() - 10 * 86_400_000);
    registeredAt.setUTCMilliseconds(0);
    const before = new Date();
    const imported = await t.call(
      'POST',
      '/members/imports',
      admin,
      body('01-8800001', registeredAt.toISOString()),
      newKey(),
    );
    expect(imported.status).toBe(201);
    const id = imported.body.id as string;

    const member = await sql.query(`SELECT registered_at FROM party_members WHERE id = $1`, [id]);
    expect((member.rows[0].registered_at as Date).toISOString()).toBe(registeredAt.toISOString());
    const outbox = await sql.query(
      `SELECT payload FROM outbox WHERE event_type = 'party-member.registered.v1' AND message_key = $1`,
      [id],
    );
    expect(outbox.rows).toHaveLength(1);
    const event = JSON.parse(outbox.rows[0].payload);
    expect(event.data.registeredAt).toBe(registeredAt.toISOString());
    expect(event.time).toBe(registeredAt.toISOString());
    expect(event.unitcode).toBe(WARD);

    const audit = await sql.query(
      `SELECT action, actor_subject, occurred_at FROM platform_audit_log WHERE target_id = $1`,
      [id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: 'party-fee.member.import', actor_subject: 'city-admin-1' });
    expect((audit.rows[0].occurred_at as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
  });

  it('refuses a time in the future or too far back, and callers other than the city admin', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const tooOld = new Date(Date.now() - 120 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    const refused = async (token: string, card: string, at: string) =>
      (await t.call('POST', '/members/imports', token, body(card, at), newKey())).status;
    expect(await refused(admin, '01-8800002', future)).toBe(400);
    expect(await refused(admin, '01-8800003', tooOld)).toBe(400);
    expect(await refused(committee, '01-8800004', recent)).toBe(403);
    expect(await refused(portal, '01-8800005', recent)).toBe(403);
    const members = await sql.query(`SELECT count(*)::int AS n FROM party_members`);
    expect(members.rows[0].n).toBe(1);
  });

  it('imports a batch in one transaction: every member, event and audit record, or none', async () => {
    const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const count = async (table: string) =>
      (await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
    const before = { members: await count('party_members'), outbox: await count('outbox') };

    // One wrong member refuses the batch, naming it; nothing is written.
    const refused = await t.call(
      'POST',
      '/members/imports/batches',
      admin,
      { members: [body('01-8800010', at(3)), body('01-8800011', at(-1)), body('01-8800012', at(200))] },
      newKey(),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'members.1.registeredAt',
      'members.2.registeredAt',
    ]);
    const oneCardTwice = await t.call(
      'POST',
      '/members/imports/batches',
      admin,
      { members: [body('01-8800013', at(3)), body('01-8800013', at(2))] },
      newKey(),
    );
    expect(oneCardTwice.status).toBe(409);
    const asCommittee = await t.call(
      'POST',
      '/members/imports/batches',
      committee,
      { members: [body('01-8800014', at(3))] },
      newKey(),
    );
    expect(asCommittee.status).toBe(403);
    const tooMany = await t.call(
      'POST',
      '/members/imports/batches',
      admin,
      { members: Array.from({ length: 1_001 }, (_, i) => body(`01-89${String(i).padStart(5, '0')}`, at(3))) },
      newKey(),
    );
    expect(tooMany.status).toBe(400);
    expect({ members: await count('party_members'), outbox: await count('outbox') }).toEqual(before);

    const times = [at(10), at(5), at(1)];
    const imported = await t.call(
      'POST',
      '/members/imports/batches',
      admin,
      { members: times.map((time, i) => body(`01-88001${i}0`, time)) },
      newKey(),
    );
    expect(imported.status).toBe(201);
    expect(imported.body.imported).toBe(3);
    const ids = imported.body.members.map((m: { id: string }) => m.id) as string[];
    expect(imported.body.members.every((m: { paymentReference: string }) => m.paymentReference)).toBe(true);

    const rows = await sql.query(`SELECT id, registered_at FROM party_members WHERE id = ANY($1)`, [ids]);
    const registered = new Map(
      rows.rows.map((r) => [r.id as string, (r.registered_at as Date).toISOString()]),
    );
    expect(ids.map((id) => registered.get(id))).toEqual(times);
    const events = await sql.query(
      `SELECT message_key, payload FROM outbox WHERE event_type = 'party-member.registered.v1' AND message_key = ANY($1)`,
      [ids],
    );
    expect(events.rows).toHaveLength(3);
    for (const row of events.rows)
      expect(JSON.parse(row.payload).time).toBe(times[ids.indexOf(row.message_key as string)]);
    const audit = await sql.query(
      `SELECT target_id, action, actor_subject FROM platform_audit_log WHERE target_id = ANY($1)`,
      [ids],
    );
    expect(audit.rows).toHaveLength(3);
    for (const row of audit.rows)
      expect(row).toMatchObject({ action: 'party-fee.member.import', actor_subject: 'city-admin-1' });
    // A registered member pays like any other: the reference works.
    const bases = await sql.query(
      `SELECT count(*)::int AS n FROM party_member_bases WHERE member_id = ANY($1)`,
      [ids],
    );
    expect(bases.rows[0].n).toBe(3);
  });
});
