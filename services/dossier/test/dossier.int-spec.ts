import { DataSource } from 'typeorm';
import { loadFixture, type CloudEvent } from '@backbone/contracts';
import { toOutgoingMessage } from '@backbone/messaging';
import { AuditRecord, AuditTrail, PLATFORM_MIGRATIONS } from '@backbone/platform';
import { eventually, readTopicUntil } from '@backbone/testing';
import { DOSSIER_MIGRATIONS, ENTITIES } from '../src/database';
import { scanOverdueOnce } from '../src/overdue/overdue-scanner';
import { eventsOf } from '@backbone/testing/service-app';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ
const WARD_BULK = '00004'; // Phường Ba Đình: only the 200 concurrent intakes
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: 3 working days, fee 15,000, no signature
const BIRTH = '1.001193'; // Đăng ký khai sinh: same day, signed result
// Personal values that must never reach Kafka.
const NATIONAL_IDS = ['001099012345', '079188054321', '031200077777'];
const PHONES = ['0912345678', '0987654321'];
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bích Ngọc'];
const ADDRESS = 'Số 12 phố Hàng Bạc, Hoàn Kiếm';
const SHA = 'a'.repeat(64);

describe('dossier service on the real database and broker', () => {
  let t: DossierTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startDossierTestApp();
    tokens.officerA = await t.token('0198a000-0000-7000-8000-00000000000a', ['officer'], [WARD_A]);
    tokens.officerB = await t.token('0198a000-0000-7000-8000-00000000000b', ['officer'], [WARD_B]);
    tokens.officerBulk = await t.token('officer-bulk', ['officer'], [WARD_BULK]);
    tokens.headA = await t.token('head-a', ['unit-head'], [WARD_A]);
    tokens.cityAdmin = await t.token('admin-1', ['city-admin'], []);
    tokens.portal = await t.token('national-portal', ['service'], []);
    tokens.auditor = await t.token('auditor-1', ['auditor'], []);
  });

  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const get = (url: string, token?: string) =>
    t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  const intakeBody = (overrides: Record<string, unknown> = {}) => ({
    unitCode: WARD_A,
    procedureCode: RESIDENCE,
    channel: 'direct',
    digitised: true,
    applicant: { fullName: NAMES[0], nationalId: NATIONAL_IDS[0], phone: PHONES[0], address: ADDRESS },
    attachments: [{ name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 120_000, sha256: SHA }],
    ...overrides,
  });

  async function act(
    id: string,
    action: string,
    version: number,
    body: Record<string, unknown> = {},
    token = tokens.officerA!,
  ) {
    return post(`/dossiers/${id}/${action}`, token, { expectedVersion: version, ...body });
  }

  let flowDossier: { id: string; code: string };

  it('receives a dossier, runs it through its lifecycle and publishes each event in order with a valid envelope', async () => {
    const created = await post('/dossiers', tokens.officerA!, intakeBody(), {
      'idempotency-key': 'intake-1',
    });
    expect(created.statusCode).toBe(201);
    const dossier = created.json();
    flowDossier = dossier;
    expect(dossier).toMatchObject({ status: 'received', version: 1, unitCode: WARD_A, channel: 'direct' });
    expect(dossier.code).toMatch(new RegExp(`^${WARD_A}-\\d{6}-0001$`));
    expect(dossier.applicant.nationalId).toBe('********2345');
    expect(new Date(dossier.dueAt).getTime()).toBeGreaterThan(new Date(dossier.receivedAt).getTime());

    // The same key and body replay the first answer: no second dossier.
    const replay = await post('/dossiers', tokens.officerA!, intakeBody(), { 'idempotency-key': 'intake-1' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(dossier.id);

    let version = 1;
    for (const [action, body] of [
      ['start-processing', {}],
      ['request-supplement', { reason: 'Thiếu bản sao giấy tờ nhà' }],
      ['provide-supplement', {}],
      ['request-payment', {}],
      ['record-payment', { paymentChannel: 'online' }],
      ['resolve', {}],
      ['return-result', {}],
    ] as const) {
      const response = await act(dossier.id, action, version, body);
      expect({ action, status: response.statusCode, body: response.json() }).toMatchObject({
        action,
        status: 200,
      });
      version = response.json().version;
    }
    expect(version).toBe(8);

    const expectedTypes = [
      'dossier.received.v1',
      'dossier.processing-started.v1',
      'dossier.supplement-requested.v1',
      'dossier.supplement-provided.v1',
      'dossier.payment-requested.v1',
      'dossier.fee-paid.v1',
      'dossier.resolved.v1',
      'dossier.result-returned.v1',
    ];
    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      const mine = all.filter((r) => r.key === dossier.id);
      if (mine.length < expectedTypes.length) throw new Error(`${mine.length} events so far`);
    });
    const events = eventsOf(records.filter((r) => r.key === dossier.id));
    expect(events.map((e) => e.type)).toEqual(expectedTypes);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(records.filter((r) => r.key === dossier.id).map((r) => r.partition)).size).toBe(1);
    for (const event of events) {
      expect(event).toMatchObject({
        subject: dossier.id,
        unitcode: WARD_A,
        source: '/two-tier-backbone/dossier',
      });
    }
    const received = events[0] as CloudEvent<Record<string, unknown>>;
    expect(received.data).toMatchObject({
      dossierCode: dossier.code,
      procedureCode: RESIDENCE,
      channel: 'direct',
      onlineLevel: 'none',
      statutoryWorkingHours: 24,
      feeVnd: 15_000,
      digitised: true,
      requiresSignature: false,
      receivedBy: '0198a000-0000-7000-8000-00000000000a',
    });
    expect(received.data.applicantPseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(events[5]!.data).toMatchObject({ amountVnd: 15_000, paymentChannel: 'online' });

    const detail = await get(`/dossiers/${dossier.id}`, tokens.officerA);
    expect(detail.json().history.map((h: { action: string }) => h.action)).toEqual([
      'receive',
      'start-processing',
      'request-supplement',
      'provide-supplement',
      'request-payment',
      'record-payment',
      'resolve',
      'return-result',
    ]);
    expect(detail.json().history[2]).toMatchObject({
      from: 'processing',
      to: 'supplement-requested',
      reason: 'Thiếu bản sao giấy tờ nhà',
    });
    expect(detail.json().attachments).toEqual([
      { name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 120_000, sha256: SHA },
    ]);
  });

  it('gives 200 concurrent intakes at one agency on one day 200 distinct consecutive codes', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        post(
          '/dossiers',
          tokens.officerBulk!,
          intakeBody({
            unitCode: WARD_BULK,
            applicant: { fullName: NAMES[1], nationalId: NATIONAL_IDS[1], phone: PHONES[1] },
            attachments: [],
            digitised: i % 2 === 0,
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(201));
    const sequences = responses.map((r) => Number(r.json().code.slice(-4))).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(responses.map((r) => r.json().code.slice(0, -5))).size).toBe(1);
  });

  it('of two concurrent conflicting transitions lets one win and answers 409 to the other; a stale version changes nothing', async () => {
    const dossier = (await post('/dossiers', tokens.officerA!, intakeBody())).json();
    const [first, second] = await Promise.all([
      act(dossier.id, 'start-processing', 1),
      act(dossier.id, 'withdraw', 1, { reason: 'Công dân rút hồ sơ' }),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = first.statusCode === 409 ? first : second;
    expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(loser.json()).toMatchObject({
      status: 409,
      type: 'urn:backbone:problem:dossier-version-conflict',
    });

    const stale = await act(dossier.id, 'stop', 1, { reason: 'x' }, tokens.headA);
    expect(stale.statusCode).toBe(409);
    const after = (await get(`/dossiers/${dossier.id}`, tokens.officerA)).json();
    expect(after.version).toBe(2);
    expect(after.history).toHaveLength(2);

    // If-Match works as well as expectedVersion; no version at all is 428.
    const noVersion = await post(`/dossiers/${dossier.id}/resolve`, tokens.officerA!, {});
    expect(noVersion.statusCode).toBe(428);
  });

  it('hides a dossier from an officer of another unit (404) and lists only the caller’s unit', async () => {
    expect((await get(`/dossiers/${flowDossier.id}`, tokens.officerB)).statusCode).toBe(404);
    expect((await get(`/dossiers/by-code/${flowDossier.code}`, tokens.officerB)).statusCode).toBe(404);
    const transition = await act(flowDossier.id, 'withdraw', 8, { reason: 'x' }, tokens.officerB);
    expect(transition.statusCode).toBe(404);
    expect(transition.json()).toMatchObject({ status: 404 });
    const listB = (await get(`/dossiers?unit=${WARD_A}`, tokens.officerB)).json();
    expect(listB.items).toEqual([]);
    expect((await get(`/dossiers/${flowDossier.id}`, tokens.auditor)).statusCode).toBe(200);
    const intakeForB = await post('/dossiers', tokens.officerA!, intakeBody({ unitCode: WARD_B }));
    expect(intakeForB.statusCode).toBe(403);
  });

  it('answers bad input with 400/404/409 problem+json and changes nothing already accepted', async () => {
    const count = async () =>
      Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM dossiers`))[0].n);
    const outbox = async () =>
      Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM outbox`))[0].n);
    const before = { dossiers: await count(), outbox: await outbox() };

    const unknownUnit = await post('/dossiers', tokens.cityAdmin!, intakeBody({ unitCode: '99999' }));
    // A city admin is no desk officer; an officer of the unit is what intake needs.
    expect(unknownUnit.statusCode).toBe(403);
    const adminOfficer = await t.token('admin-officer', ['officer', 'city-admin'], []);
    const unknownUnitAsAdmin = await post('/dossiers', adminOfficer, intakeBody({ unitCode: '99999' }));
    expect(unknownUnitAsAdmin.statusCode).toBe(400);
    expect(unknownUnitAsAdmin.json().errors).toEqual([
      { field: 'unitCode', reason: expect.stringContaining('99999') },
    ]);

    const unknownProcedure = await post(
      '/dossiers',
      tokens.officerA!,
      intakeBody({ procedureCode: '9.999999' }),
    );
    expect(unknownProcedure.statusCode).toBe(400);
    expect(unknownProcedure.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknownProcedure.json().errors[0].field).toBe('procedureCode');

    const badId = await post(
      '/dossiers',
      tokens.officerA!,
      intakeBody({ applicant: { fullName: 'X', nationalId: '999099012345' } }),
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors).toEqual([
      { field: 'applicant.nationalId', reason: expect.stringContaining('999') },
    ]);
    const shortId = await post(
      '/dossiers',
      tokens.officerA!,
      intakeBody({ applicant: { fullName: 'X', nationalId: '12345' } }),
    );
    expect(shortId.statusCode).toBe(400);

    const forbidden = await act(flowDossier.id, 'start-processing', 8);
    expect(forbidden.statusCode).toBe(409);
    expect(forbidden.json()).toMatchObject({ type: 'urn:backbone:problem:dossier-transition-not-allowed' });
    expect(forbidden.json().detail).toContain('result-returned');

    const noReason = (await post('/dossiers', tokens.officerA!, intakeBody())).json();
    const before2 = { dossiers: await count(), outbox: await outbox() };
    const missingReason = await act(noReason.id, 'withdraw', 1, {});
    expect(missingReason.statusCode).toBe(400);
    const wrongRole = await act(noReason.id, 'stop', 1, { reason: 'x' });
    expect(wrongRole.statusCode).toBe(403);
    const unknownAction = await act(noReason.id, 'teleport', 1);
    expect(unknownAction.statusCode).toBe(404);
    const missing = await act('0198a000-0000-7000-8000-0000000000ff', 'start-processing', 1);
    expect(missing.statusCode).toBe(404);

    expect({ dossiers: await count(), outbox: await outbox() }).toEqual(before2);
    expect(before2.dossiers).toBe(before.dossiers + 1);
    expect((await get(`/dossiers/${noReason.id}`, tokens.officerA)).json()).toMatchObject({
      status: 'received',
      version: 1,
    });
    expect((await get(`/dossiers/${flowDossier.id}`, tokens.officerA)).json()).toMatchObject({
      status: 'result-returned',
      version: 8,
    });
  });

  it('accepts an online submission from the portal, and returns a signed result only after signature.completed is consumed', async () => {
    const submitted = await post('/dossiers/online', tokens.portal!, {
      unitCode: WARD_A,
      procedureCode: BIRTH,
      applicant: { fullName: NAMES[1], nationalId: NATIONAL_IDS[2], phone: PHONES[1] },
    });
    expect(submitted.statusCode).toBe(201);
    const dossier = submitted.json();
    expect(dossier).toMatchObject({
      status: 'submitted-online',
      channel: 'online',
      onlineLevel: 'full',
      dueAt: null,
    });
    expect((await post('/dossiers/online', tokens.officerA!, {})).statusCode).toBe(403);

    let version = (await act(dossier.id, 'accept', 1)).json().version;
    const accepted = (await get(`/dossiers/${dossier.id}`, tokens.officerA)).json();
    expect(accepted).toMatchObject({ status: 'received', code: dossier.code });
    expect(accepted.dueAt).not.toBeNull();
    version = (await act(dossier.id, 'start-processing', version)).json().version;
    const unsigned = await act(dossier.id, 'resolve', version);
    expect(unsigned.statusCode).toBe(400);
    version = (await act(dossier.id, 'resolve', version, { resultDocumentSha256: SHA })).json().version;
    const early = await act(dossier.id, 'return-result', version);
    expect(early.statusCode).toBe(409);
    expect(early.json().type).toBe('urn:backbone:problem:dossier-signature-not-completed');

    const fixture = loadFixture('signature.completed.v1') as CloudEvent<Record<string, unknown>>;
    const completed = {
      ...fixture,
      id: '0198a111-0000-7000-8000-000000000001',
      data: {
        ...fixture.data,
        reference: { kind: 'dossier-result', id: dossier.id, code: dossier.code },
        documentSha256: SHA,
      },
    };
    const producer = t.kafka.producer();
    await producer.connect();
    await producer.send([{ topic: t.config.SIGNING_EVENTS_TOPIC, messages: [toOutgoingMessage(completed)] }]);
    await producer.disconnect();

    const returned = await eventually(
      async () => {
        const response = await act(dossier.id, 'return-result', version);
        if (response.statusCode !== 200) throw new Error(`return-result: ${response.statusCode}`);
        return response.json();
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(returned).toMatchObject({ status: 'result-returned', signatureCompleted: true });
    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      if (!all.some((r) => r.key === dossier.id && r.headers['ce_type'] === 'dossier.result-returned.v1'))
        throw new Error('not yet');
    });
    const events = eventsOf(records.filter((r) => r.key === dossier.id));
    expect(events.map((e) => e.type)).toEqual([
      'dossier.submitted-online.v1',
      'dossier.received.v1',
      'dossier.processing-started.v1',
      'dossier.resolved.v1',
      'dossier.result-returned.v1',
    ]);
    expect(events[3]!.data).toMatchObject({ requiresSignature: true, resultDocumentSha256: SHA });
    expect(events[4]!.data).toMatchObject({ signatureId: fixture.data.signatureId });
  });

  it('publishes dossier.overdue once per dossier with two scheduler instances scanning at the same time, and again never', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1)
      ids.push((await post('/dossiers', tokens.officerA!, intakeBody())).json().id);
    const sql = t.app.get(DataSource);
    await sql.query(`UPDATE dossiers SET due_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);

    const instances = await Promise.all(
      [1, 2].map(async () => {
        const dataSource = new DataSource({
          type: 'postgres',
          url: t.database.url,
          entities: [...ENTITIES, AuditRecord],
          migrations: [...PLATFORM_MIGRATIONS, ...DOSSIER_MIGRATIONS],
          extra: { max: 3 },
        });
        return dataSource.initialize();
      }),
    );
    try {
      const options = {
        topic: t.config.DOSSIER_EVENTS_TOPIC,
        auditTrail: t.app.get(AuditTrail),
        batchSize: 2,
      };
      const rounds = await Promise.all(
        instances.map(async (dataSource) => {
          let total = 0;
          for (let round = 0; round < 6; round += 1) total += await scanOverdueOnce(dataSource, options);
          return total;
        }),
      );
      expect(rounds[0]! + rounds[1]!).toBe(6);
      // "A restart": a fresh scan finds nothing more to report.
      expect(await scanOverdueOnce(instances[0]!, options)).toBe(0);
    } finally {
      await Promise.all(instances.map((dataSource) => dataSource.destroy()));
    }

    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      const overdue = all.filter((r) => r.headers['ce_type'] === 'dossier.overdue.v1');
      if (overdue.length < 6) throw new Error(`${overdue.length} overdue events`);
    });
    const overdue = eventsOf(records.filter((r) => r.headers['ce_type'] === 'dossier.overdue.v1'));
    expect(overdue.map((e) => e.subject).sort()).toEqual([...ids].sort());
    expect(overdue.every((e) => e.sequence === 2)).toBe(true);

    const listed = (await get(`/dossiers?overdue=true&unit=${WARD_A}&limit=200`, tokens.officerA)).json();
    expect(listed.items.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());
    const counts = (await get(`/dossiers/counts?unit=${WARD_A}`, tokens.officerA)).json();
    expect(counts.units[0]).toMatchObject({ unitCode: WARD_A, overdue: 6 });

    // Apology (form 04): a new date, published; the version advances, the statutory date stays.
    const apology = await act(ids[0]!, 'issue-apology', 1, {
      reason: 'Cần xác minh thêm với cơ quan công an',
      newDueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    expect(apology.statusCode).toBe(200);
    expect(apology.json()).toMatchObject({ version: 2, overdue: true });
    const withApology = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      if (!all.some((r) => r.headers['ce_type'] === 'dossier.apology-issued.v1'))
        throw new Error('no apology yet');
    });
    const apologyEvent = eventsOf(
      withApology.filter((r) => r.headers['ce_type'] === 'dossier.apology-issued.v1'),
    )[0]!;
    expect(apologyEvent).toMatchObject({ subject: ids[0], sequence: 3 });
  });

  it('pages the list with a cursor, filters it, and reports per-unit stats', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await get(
          `/dossiers?unit=${WARD_BULK}&limit=70&sort=code&order=asc${cursor ? `&cursor=${cursor}` : ''}`,
          tokens.officerBulk,
        )
      ).json();
      for (const item of page.items) seen.add(item.id);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(200);
    expect(pages).toBe(3);
    const online = (await get(`/dossiers?channel=online`, tokens.officerA)).json();
    expect(online.items).toHaveLength(1);

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const stats = (await get(`/dossiers/stats?from=${from}&to=${to}`, tokens.cityAdmin)).json();
    const bulk = stats.units.find((u: { unitCode: string }) => u.unitCode === WARD_BULK);
    expect(bulk).toMatchObject({ received: 200, receivedDigitised: 100, resolved: 0 });
    const wardA = stats.units.find((u: { unitCode: string }) => u.unitCode === WARD_A);
    expect(wardA).toMatchObject({ submittedOnline: 1, receivedOnline: 1, resolved: 2, resultReturned: 2 });
  });

  it('lets a citizen look up status and dates by code and national ID only, rate-limited', async () => {
    const found = await get(`/public/dossiers/lookup?code=${flowDossier.code}&nationalId=${NATIONAL_IDS[0]}`);
    expect(found.statusCode).toBe(200);
    expect(Object.keys(found.json()).sort()).toEqual([
      'code',
      'dueAt',
      'receivedAt',
      'resolvedAt',
      'returnedAt',
      'status',
      'submittedAt',
    ]);
    expect(found.json().status).toBe('result-returned');
    const wrong = await get(`/public/dossiers/lookup?code=${flowDossier.code}&nationalId=${NATIONAL_IDS[1]}`);
    expect(wrong.statusCode).toBe(404);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1)
      statuses.push(
        (await get(`/public/dossiers/lookup?code=${flowDossier.code}&nationalId=${NATIONAL_IDS[0]}`))
          .statusCode,
      );
    expect(statuses).toContain(429);
  });

  it('lets the city admin edit reference data: effective-dated units, CSV import with line/column errors, calendar overrides', async () => {
    const put = (url: string, body: unknown, token = tokens.cityAdmin!) =>
      t.app.inject({
        method: 'PUT',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    expect((await get('/units', tokens.officerA)).json()).toHaveLength(126 + 16);
    expect(
      (
        await put(
          `/units/${WARD_A}`,
          { name: 'Phường Hoàn Kiếm (mới)', type: 'ward', validFrom: '2030-01-01' },
          tokens.officerA,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await put(`/units/${WARD_A}`, {
          name: 'Phường Hoàn Kiếm (mới)',
          type: 'ward',
          validFrom: '2030-01-01',
        })
      ).statusCode,
    ).toBe(200);
    const history = (await get(`/units/${WARD_A}`, tokens.officerA)).json();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ validTo: '2030-01-01' });
    expect(
      (await get('/units?at=2030-06-01', tokens.officerA))
        .json()
        .find((u: { code: string }) => u.code === WARD_A).name,
    ).toBe('Phường Hoàn Kiếm (mới)');

    const header = 'code,name,field,level,time_unit,time_value,online_level,fee_vnd,requires_signature';
    const bad = await post('/procedures/import', tokens.cityAdmin!, {
      validFrom: '2026-01-01',
      csv: `${header}\n1.000001,Thủ tục A,Hộ tịch,commune,working-days,3,full,0,true\n1.000002,Thủ tục B,Hộ tịch,district,working-days,3,full,0,true\n`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'csv', reason: expect.stringMatching(/^line 3, column level: /) },
    ]);
    expect((await get('/procedures/1.000001', tokens.officerA)).statusCode).toBe(404);
    const good = await post('/procedures/import', tokens.cityAdmin!, {
      validFrom: '2026-01-01',
      csv: `${header}\n1.000001,Thủ tục A,Hộ tịch,commune,working-days,3,full,0,true\n`,
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ imported: 1 });

    const override = await put('/calendar/overrides/2030-02-04', {
      kind: 'day-off',
      reason: 'Tết 2030 (test)',
      source: 'test',
    });
    expect(override.statusCode).toBe(200);
    const overrides2030 = (await get('/calendar/overrides?year=2030', tokens.officerA)).json();
    expect(overrides2030.map((o: { date: string }) => o.date)).toContain('2030-02-04');
    expect((await get('/calendar/overrides?year=2025', tokens.officerA)).json().length).toBeGreaterThan(0);
  });

  it('never puts a national ID, phone number, name or address on the topic (raw bytes of every record)', async () => {
    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      if (all.length < 200) throw new Error(`${all.length} records`);
    });
    const forbidden = [...NATIONAL_IDS, ...PHONES, ...NAMES, ADDRESS, 'Hàng Bạc', 'Nguyễn', 'Bích Ngọc'];
    for (const record of records) {
      const bytes = Buffer.concat([
        Buffer.from(record.key ?? ''),
        record.value ?? Buffer.alloc(0),
        Buffer.from(JSON.stringify(record.headers)),
      ]);
      for (const value of forbidden) {
        expect({
          offset: record.offset,
          found: bytes.includes(Buffer.from(value, 'utf8')) ? value : null,
        }).toEqual({ offset: record.offset, found: null });
      }
      // JSON escapes of the name would also be personal data.
      expect(bytes.toString('utf8')).not.toMatch(/\\u1ec5n|Nguy/);
    }
  });
});
