import { DataSource } from 'typeorm';
import type { CloudEvent } from '@backbone/contracts';
import { readTopicUntil } from '@backbone/testing';
import { eventsOf } from '@backbone/testing/service-app';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

const WARD = '00070'; // Phường Hoàn Kiếm
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: 3 working days, fee 15,000, no signature, online: full
const BIRTH = '1.001193'; // Đăng ký khai sinh: same day, signed result
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 09:00 in Hanoi (02:00 UTC) on the Monday at least `weeksAgo` weeks before today. */
function mondayMorning(weeksAgo: number): Date {
  const today = new Date();
  const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 2));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - (sinceMonday + 7 * weeksAgo) * DAY);
}
const iso = (date: Date) => date.toISOString();
/** The code's date part for an instant: the civil day in Hanoi (UTC+7). */
const codeDay = (date: Date) =>
  iso(new Date(date.getTime() + 7 * HOUR))
    .slice(2, 10)
    .replace(/-/g, '');

describe('import of historical dossiers (POST /dossiers/imports)', () => {
  let t: DossierTestApp;
  let admin: string;
  let migration: string;
  let officer: string;

  beforeAll(async () => {
    t = await startDossierTestApp();
    admin = await t.token('admin-1', ['city-admin'], []);
    migration = await t.token('district-migration', ['service'], []);
    officer = await t.token('0198a000-0000-7000-8000-00000000000a', ['officer'], [WARD]);
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
  const get = (url: string, token: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const count = async (table: string) =>
    Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  const importBody = (overrides: Record<string, unknown> = {}) => ({
    sourceSystem: 'motcua-quan-hoan-kiem',
    sourceReference: 'HK-2025-000123',
    unitCode: WARD,
    procedureCode: RESIDENCE,
    channel: 'direct',
    digitised: true,
    applicant: { fullName: 'Nguyễn Văn An', nationalId: '001099012345', phone: '0912345678' },
    receivedAt: iso(mondayMorning(3)),
    transitions: [],
    ...overrides,
  });

  it('replays a late, paid, returned dossier at its historical times: code of that day, due date from then, events with those times', async () => {
    const receivedAt = mondayMorning(3);
    const steps = [
      { action: 'start-processing', at: iso(new Date(receivedAt.getTime() + HOUR)) },
      { action: 'request-payment', at: iso(new Date(receivedAt.getTime() + 2 * HOUR)) },
      {
        action: 'record-payment',
        at: iso(new Date(receivedAt.getTime() + 3 * HOUR)),
        paymentChannel: 'cash',
      },
      // Tuesday of the next week: 6 working days after a 3-working-day procedure was received.
      { action: 'resolve', at: iso(new Date(receivedAt.getTime() + 8 * DAY)), actor: 'can-bo-hk-17' },
      { action: 'return-result', at: iso(new Date(receivedAt.getTime() + 8 * DAY + 2 * HOUR)) },
    ];
    const created = await post('/dossiers/imports', admin, importBody({ transitions: steps }), {
      'idempotency-key': 'import-hk-123',
    });
    expect(created.statusCode).toBe(201);
    const dossier = created.json();
    expect(dossier).toMatchObject({
      status: 'result-returned',
      version: 6,
      unitCode: WARD,
      channel: 'direct',
      receivedAt: iso(receivedAt),
      resolvedAt: steps[3]!.at,
      returnedAt: steps[4]!.at,
    });
    expect(dossier.code).toBe(`${WARD}-${codeDay(receivedAt)}-0001`);
    // Monday 09:00 + 3 working days of 8 hours = Thursday 09:00 of that week (no holiday in a
    // week the test picks unless it falls on one; then later, never earlier).
    const dueAt = new Date(dossier.dueAt).getTime();
    expect(dueAt).toBeGreaterThanOrEqual(receivedAt.getTime() + 3 * DAY);
    expect(dueAt).toBeLessThan(new Date(steps[3]!.at).getTime());

    // The retry of the same import (same key, same body) is the first answer, not a second dossier.
    const replay = await post('/dossiers/imports', admin, importBody({ transitions: steps }), {
      'idempotency-key': 'import-hk-123',
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(dossier.id);

    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      const mine = all.filter((r) => r.key === dossier.id);
      if (mine.length < 6) throw new Error(`${mine.length} events so far`);
    });
    const events = eventsOf(records.filter((r) => r.key === dossier.id)) as CloudEvent<
      Record<string, unknown>
    >[];
    expect(events.map((e) => e.type)).toEqual([
      'dossier.received.v1',
      'dossier.processing-started.v1',
      'dossier.payment-requested.v1',
      'dossier.fee-paid.v1',
      'dossier.resolved.v1',
      'dossier.result-returned.v1',
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.map((e) => new Date(e.time!).toISOString())).toEqual([
      iso(receivedAt),
      ...steps.map((s) => s.at),
    ]);
    expect(events[0]!.data).toMatchObject({
      dossierCode: dossier.code,
      receivedAt: iso(receivedAt),
      dueAt: dossier.dueAt,
      channel: 'direct',
      feeVnd: 15_000,
    });
    expect(events[3]!.data).toMatchObject({
      amountVnd: 15_000,
      paymentChannel: 'cash',
      paidAt: steps[2]!.at,
    });
    expect(events[4]!.data).toMatchObject({ onTime: false, resolvedAt: steps[3]!.at, dueAt: dossier.dueAt });

    const detail = (await get(`/dossiers/${dossier.id}`, admin)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'receive',
      'start-processing',
      'request-payment',
      'record-payment',
      'resolve',
      'return-result',
    ]);
    expect(detail.history[0]).toMatchObject({
      reason: 'imported from motcua-quan-hoan-kiem: HK-2025-000123',
    });
    const history = await t.app
      .get(DataSource)
      .query(
        `SELECT occurred_at, actor_subject FROM dossier_history WHERE dossier_id = $1 ORDER BY version`,
        [dossier.id],
      );
    expect(history.map((h: { occurred_at: Date }) => h.occurred_at.toISOString())).toEqual([
      iso(receivedAt),
      ...steps.map((s) => s.at),
    ]);
    expect(history[4].actor_subject).toBe('can-bo-hk-17');
    const audit = await t.app
      .get(DataSource)
      .query(`SELECT action, actor_subject FROM platform_audit_log WHERE target_id = $1`, [dossier.id]);
    expect(audit).toEqual([{ action: 'dossier.import', actor_subject: 'admin-1' }]);
  });

  it('continues the historical day’s numbering and leaves today’s alone', async () => {
    const receivedAt = mondayMorning(3);
    const second = await post(
      '/dossiers/imports',
      migration,
      importBody({
        sourceReference: 'HK-2025-000124',
        receivedAt: iso(new Date(receivedAt.getTime() + HOUR)),
      }),
    );
    expect(second.statusCode).toBe(201);
    expect(second.json().code).toBe(`${WARD}-${codeDay(receivedAt)}-0002`);
    expect(second.json()).toMatchObject({ status: 'received', version: 1 });

    const live = await post('/dossiers', officer, {
      unitCode: WARD,
      procedureCode: RESIDENCE,
      channel: 'direct',
      applicant: { fullName: 'Trần Thị Bích', nationalId: '079188054321' },
    });
    expect(live.statusCode).toBe(201);
    expect(live.json().code).toBe(`${WARD}-${codeDay(new Date())}-0001`);
  });

  it('imports an online dossier still open: submitted, accepted, supplement paused the clock', async () => {
    const submittedAt = mondayMorning(2);
    const receivedAt = new Date(submittedAt.getTime() + 2 * HOUR);
    const requested = new Date(receivedAt.getTime() + HOUR);
    // Requested Monday 12:00, provided Tuesday 12:00: one working day (8 h) of pause.
    const provided = new Date(requested.getTime() + DAY);
    const created = await post(
      '/dossiers/imports',
      migration,
      importBody({
        sourceReference: 'HK-2025-000200',
        channel: 'online',
        submittedAt: iso(submittedAt),
        receivedAt: iso(receivedAt),
        transitions: [
          { action: 'start-processing', at: iso(new Date(receivedAt.getTime() + 30 * 60_000)) },
          { action: 'request-supplement', at: iso(requested), reason: 'Thiếu hợp đồng thuê nhà' },
          { action: 'provide-supplement', at: iso(provided) },
        ],
      }),
    );
    expect(created.statusCode).toBe(201);
    const dossier = created.json();
    expect(dossier).toMatchObject({
      status: 'processing',
      channel: 'online',
      onlineLevel: 'full',
      version: 5,
      submittedAt: iso(submittedAt),
      receivedAt: iso(receivedAt),
      pausedWorkingMinutes: 480,
    });
    expect(dossier.code).toBe(`${WARD}-${codeDay(submittedAt)}-0001`);

    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      if (all.filter((r) => r.key === dossier.id).length < 5) throw new Error('not yet');
    });
    const events = eventsOf(records.filter((r) => r.key === dossier.id)) as CloudEvent<
      Record<string, unknown>
    >[];
    expect(events.map((e) => e.type)).toEqual([
      'dossier.submitted-online.v1',
      'dossier.received.v1',
      'dossier.processing-started.v1',
      'dossier.supplement-requested.v1',
      'dossier.supplement-provided.v1',
    ]);
    const receivedDue = new Date(events[1]!.data.dueAt as string).getTime();
    expect(events[1]!.data).toMatchObject({
      channel: 'online',
      onlineLevel: 'full',
      receivedAt: iso(receivedAt),
    });
    expect(events[4]!.data).toMatchObject({ pausedWorkingMinutes: 480, newDueAt: dossier.dueAt });
    // The pause (8 working hours) moved the due date by one working day.
    expect(new Date(dossier.dueAt).getTime()).toBeGreaterThanOrEqual(receivedDue + DAY);
    expect(events.map((e) => new Date(e.time!).toISOString()).slice(0, 2)).toEqual([
      iso(submittedAt),
      iso(receivedAt),
    ]);
  });

  it('refuses what the state machine, the timeline or the caller does not allow, and changes nothing', async () => {
    const before = { dossiers: await count('dossiers'), outbox: await count('outbox') };
    const receivedAt = mondayMorning(2);
    const at = (hours: number) => iso(new Date(receivedAt.getTime() + hours * HOUR));

    const asOfficer = await post('/dossiers/imports', officer, importBody());
    expect(asOfficer.statusCode).toBe(403);

    const skipsProcessing = await post(
      '/dossiers/imports',
      admin,
      importBody({ transitions: [{ action: 'resolve', at: at(1) }] }),
    );
    expect(skipsProcessing.statusCode).toBe(400);
    expect(skipsProcessing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(skipsProcessing.json().errors).toEqual([
      { field: 'transitions[0].action', reason: 'resolve is not allowed from status received' },
    ]);

    const outOfOrder = await post(
      '/dossiers/imports',
      admin,
      importBody({
        transitions: [
          { action: 'start-processing', at: at(3) },
          { action: 'resolve', at: at(2) },
        ],
      }),
    );
    expect(outOfOrder.statusCode).toBe(400);
    expect(outOfOrder.json().errors[0].field).toBe('transitions[1].at');

    const future = await post(
      '/dossiers/imports',
      admin,
      importBody({ receivedAt: iso(new Date(Date.now() + DAY)) }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('receivedAt');

    // A signed result cannot be returned without the signing service's signature.
    const signed = await post(
      '/dossiers/imports',
      admin,
      importBody({
        procedureCode: BIRTH,
        transitions: [
          { action: 'start-processing', at: at(1) },
          { action: 'resolve', at: at(2), resultDocumentSha256: 'b'.repeat(64) },
          { action: 'return-result', at: at(3) },
        ],
      }),
    );
    expect(signed.statusCode).toBe(400);
    expect(signed.json().errors[0]).toMatchObject({ field: 'transitions[2].action' });

    const missingReason = await post(
      '/dossiers/imports',
      admin,
      importBody({ transitions: [{ action: 'withdraw', at: at(1) }] }),
    );
    expect(missingReason.statusCode).toBe(400);

    const unknownUnit = await post('/dossiers/imports', admin, importBody({ unitCode: '99999' }));
    expect(unknownUnit.statusCode).toBe(400);
    expect(unknownUnit.json().errors[0].field).toBe('unitCode');

    expect({ dossiers: await count('dossiers'), outbox: await count('outbox') }).toEqual(before);

    // The signed one imports as resolved, waiting for its signature.
    const signedResolved = await post(
      '/dossiers/imports',
      admin,
      importBody({
        procedureCode: BIRTH,
        transitions: [
          { action: 'start-processing', at: at(1) },
          { action: 'resolve', at: at(2), resultDocumentSha256: 'b'.repeat(64) },
        ],
      }),
    );
    expect(signedResolved.statusCode).toBe(201);
    expect(signedResolved.json()).toMatchObject({ status: 'resolved', signatureCompleted: false });
  });

  describe('in batches (POST /dossiers/imports/batches)', () => {
    const OTHER_WARD = '00103'; // Phường Tây Hồ

    it('imports every dossier of a batch in one transaction: a day’s numbers in order, events and an audit record each', async () => {
      const receivedAt = mondayMorning(5);
      const at = (hours: number) => iso(new Date(receivedAt.getTime() + hours * HOUR));
      const dossiers = [
        importBody({ sourceReference: 'HK-B-1', receivedAt: at(0) }),
        importBody({
          sourceReference: 'HK-B-2',
          receivedAt: at(1),
          transitions: [
            { action: 'start-processing', at: at(2) },
            { action: 'resolve', at: at(3) },
            { action: 'return-result', at: at(4) },
          ],
        }),
        importBody({ sourceReference: 'TH-B-1', unitCode: OTHER_WARD, receivedAt: at(1) }),
        importBody({ sourceReference: 'HK-B-3', receivedAt: at(2) }),
      ];
      const created = await post(
        '/dossiers/imports/batches',
        migration,
        { dossiers },
        {
          'idempotency-key': 'import-batch-1',
        },
      );
      expect(created.statusCode).toBe(201);
      const body = created.json();
      expect(body.imported).toBe(4);
      const day = codeDay(receivedAt);
      // Numbered in the order sent, per agency and day (no gaps, no duplicates).
      expect(body.dossiers.map((d: { code: string }) => d.code)).toEqual([
        `${WARD}-${day}-0001`,
        `${WARD}-${day}-0002`,
        `${OTHER_WARD}-${day}-0001`,
        `${WARD}-${day}-0003`,
      ]);
      expect(body.dossiers.map((d: { status: string }) => d.status)).toEqual([
        'received',
        'result-returned',
        'received',
        'received',
      ]);
      const ids = body.dossiers.map((d: { id: string }) => d.id) as string[];

      const replay = await post(
        '/dossiers/imports/batches',
        migration,
        { dossiers },
        {
          'idempotency-key': 'import-batch-1',
        },
      );
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json().dossiers.map((d: { id: string }) => d.id)).toEqual(ids);

      const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
        const mine = all.filter((r) => ids.includes(r.key ?? ''));
        if (mine.length < 7) throw new Error(`${mine.length} events so far`);
      });
      const events = eventsOf(records.filter((r) => r.key === ids[1])) as CloudEvent<
        Record<string, unknown>
      >[];
      expect(events.map((e) => e.type)).toEqual([
        'dossier.received.v1',
        'dossier.processing-started.v1',
        'dossier.resolved.v1',
        'dossier.result-returned.v1',
      ]);
      expect(events[0]!.data).toMatchObject({ dossierCode: `${WARD}-${day}-0002` });
      expect(events.map((e) => new Date(e.time!).toISOString())).toEqual([at(1), at(2), at(3), at(4)]);

      const audit = await t.app
        .get(DataSource)
        .query(
          `SELECT target_id, action, actor_subject FROM platform_audit_log WHERE target_id = ANY($1) ORDER BY target_id`,
          [ids],
        );
      expect(audit).toEqual(
        [...ids].sort().map((id) => ({
          target_id: id,
          action: 'dossier.import',
          actor_subject: 'district-migration',
        })),
      );
    });

    it('refuses the whole batch when one dossier is wrong, naming it, and writes nothing', async () => {
      const receivedAt = mondayMorning(6);
      const at = (hours: number) => iso(new Date(receivedAt.getTime() + hours * HOUR));
      const before = { dossiers: await count('dossiers'), outbox: await count('outbox') };

      const stateMachine = await post('/dossiers/imports/batches', admin, {
        dossiers: [
          importBody({ sourceReference: 'R-1', receivedAt: at(0) }),
          importBody({
            sourceReference: 'R-2',
            receivedAt: at(0),
            transitions: [{ action: 'resolve', at: at(1) }],
          }),
        ],
      });
      expect(stateMachine.statusCode).toBe(400);
      expect(stateMachine.json().errors).toEqual([
        { field: 'dossiers.1.transitions[0].action', reason: 'resolve is not allowed from status received' },
      ]);

      const timeline = await post('/dossiers/imports/batches', admin, {
        dossiers: [
          importBody({ sourceReference: 'R-3', unitCode: '99999', receivedAt: at(0) }),
          importBody({ sourceReference: 'R-4', receivedAt: iso(new Date(Date.now() + DAY)) }),
        ],
      });
      expect(timeline.statusCode).toBe(400);
      expect(timeline.json().errors.map((e: { field: string }) => e.field)).toEqual([
        'dossiers.0.unitCode',
        'dossiers.1.receivedAt',
      ]);

      const tooMany = await post('/dossiers/imports/batches', admin, {
        dossiers: Array.from({ length: 501 }, (_, i) => importBody({ sourceReference: `R-${i}` })),
      });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().errors[0].field).toBe('dossiers');
      const empty = await post('/dossiers/imports/batches', admin, { dossiers: [] });
      expect(empty.statusCode).toBe(400);

      const asOfficer = await post('/dossiers/imports/batches', officer, { dossiers: [importBody()] });
      expect(asOfficer.statusCode).toBe(403);

      expect({ dossiers: await count('dossiers'), outbox: await count('outbox') }).toEqual(before);
    });
  });
});
