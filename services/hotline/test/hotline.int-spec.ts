import { buildEvent, CalendarOfficialYearSetV1, type CloudEvent } from '@backbone/contracts';
import { createKafkaClient, toOutgoingMessage } from '@backbone/messaging';
import { eventually, testKafkaBrokers } from '@backbone/testing';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { ENTITIES, HOTLINE_MIGRATIONS } from '../src/database';
import { scanOverdueReports } from '../src/overdue/overdue-scanner';
import { WorkingCalendarService } from '../src/working-calendar/working-calendar.service';
import { TaxonomyService } from '../src/taxonomy/taxonomy.service';
import { AuditTrail } from '@backbone/platform';
import {
  aReport,
  client,
  eventsFor,
  type HotlineTestApp,
  ofSubject,
  startHotline,
  WARD_HOAN_KIEM,
  WARD_TAY_HO,
} from './support';

type ReportView = {
  id: string;
  status: string;
  unitCode: string;
  version: number;
  duplicateOf: string | null;
};

describe('hotline (real PostgreSQL and Kafka)', () => {
  let h: HotlineTestApp;
  let api: ReturnType<typeof client>;
  let agent: string;
  let officerHK: string;
  let officerTH: string;
  let cityAdmin: string;
  let auditor: string;
  let ihanoi: string;
  let pbx: string;

  beforeAll(async () => {
    h = await startHotline();
    api = client(h.t);
    agent = await h.t.token('0198a0a0-0000-7000-8000-00000000a001', ['hotline-agent'], []);
    officerHK = await h.t.token('0198a0a0-0000-7000-8000-00000000b001', ['officer'], [WARD_HOAN_KIEM]);
    officerTH = await h.t.token('0198a0a0-0000-7000-8000-00000000b002', ['officer'], [WARD_TAY_HO]);
    cityAdmin = await h.t.token('city-admin-1', ['city-admin'], []);
    auditor = await h.t.token('auditor-1', ['auditor'], []);
    ihanoi = await h.t.token('ihanoi-gateway', ['service'], []);
    pbx = await h.t.token('pbx-connector', ['service'], []);
  });
  afterAll(async () => {
    await h?.t.close();
  });

  /** accept → assign → start → answer by the unit's officer. */
  async function work(id: string, officer: string) {
    for (const [path, body] of [
      ['accept', {}],
      ['assign', { assignee: 'officer-on-duty' }],
      ['start', {}],
      ['answer', { answer: 'Đơn vị đã xử lý xong.' }],
    ] as const) {
      const reply = await api.post(`/reports/${id}/${path}`, officer, body);
      expect([path, reply.statusCode, reply.body]).toEqual([path, 200, expect.any(String)]);
    }
  }

  it('takes a report from every channel through routing, acceptance, answer and rating, events in order', async () => {
    const ids: Record<string, string> = {};
    // 1022: a call, then a report from it; the others through their channel's client.
    const started = await api.post('/pbx/call-events', pbx, {
      event: 'started',
      uniqueId: 'channel-test.1',
      callerNumber: '+84 912 345 678',
      startedAt: new Date().toISOString(),
    });
    expect(started.statusCode).toBe(200);
    const callId = started.json<{ call: { id: string } }>().call.id;
    const fromCall = await api.post(
      `/calls/${callId}/reports`,
      agent,
      aReport({ channel: '1022', level: 'urgent' }),
    );
    expect(fromCall.statusCode).toBe(201);
    ids['1022'] = fromCall.json<ReportView>().id;
    for (const channel of ['ihanoi', 'web', 'email', 'zalo']) {
      const reply = await api.post('/reports', ihanoi, aReport({ channel }));
      expect([channel, reply.statusCode]).toEqual([channel, 201]);
      const report = reply.json<ReportView & { routedBy: string }>();
      expect(report).toMatchObject({ status: 'received', unitCode: WARD_HOAN_KIEM, routedBy: 'former-name' });
      ids[channel] = report.id;
    }
    await api.post('/pbx/call-events', pbx, {
      event: 'ended',
      uniqueId: 'channel-test.1',
      callerNumber: '0912345678',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      endedAt: new Date().toISOString(),
      durationSeconds: 60,
      disposition: 'answered',
    });
    for (const id of Object.values(ids)) {
      await work(id, officerHK);
      const rated = await api.post(`/reports/${id}/rating`, ihanoi, { rating: 5 });
      expect(rated.json()).toMatchObject({ status: 'closed', rating: 5 });
    }

    const { events } = await eventsFor(
      h.topic,
      (all) =>
        Object.values(ids).every((id) =>
          all.some((e) => e.subject === id && e.type === 'report.closed.v1'),
        ) && all.some((e) => e.subject === callId && e.type === 'call.ended.v1'),
    );
    for (const [channel, id] of Object.entries(ids)) {
      const mine = ofSubject(events, id);
      expect([channel, mine.map((e) => e.type)]).toEqual([
        channel,
        [
          'report.submitted.v1',
          'report.accepted.v1',
          'report.assigned.v1',
          'report.work-started.v1',
          'report.answered.v1',
          'report.closed.v1',
        ],
      ]);
      expect(mine.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(mine[0]!.data).toMatchObject({
        channel,
        actorRole: channel === '1022' ? 'hotline-agent' : 'citizen',
      });
      expect(mine[1]!.data).toMatchObject({
        withinSla: true,
        actorRole: 'officer',
        actorId: '0198a0a0-0000-7000-8000-00000000b001',
      });
      expect(mine[5]!.data).toMatchObject({ rating: 5, actorRole: 'citizen' });
      expect(mine.every((e) => e.unitcode === WARD_HOAN_KIEM)).toBe(true);
    }
    const call = ofSubject(events, callId);
    expect(call.map((e) => e.type)).toEqual(['call.received.v1', 'call.ended.v1']);
    expect(call[1]!.data).toMatchObject({ outcome: 'report-created', reportId: ids['1022'] });
    expect(ofSubject(events, ids['1022']!)[0]!.data).toMatchObject({ callId, level: 'urgent' });

    const history = await api.get(`/reports/${ids.zalo}/history`, officerHK);
    expect(
      history
        .json<{ history: { toStatus: string; actor: { role: string } }[] }>()
        .history.map((e) => [e.toStatus, e.actor.role]),
    ).toEqual([
      ['received', 'citizen'],
      ['accepted', 'officer'],
      ['assigned', 'officer'],
      ['in-progress', 'officer'],
      ['answered', 'officer'],
      ['closed', 'citizen'],
    ]);
  });

  it('refuses a place outside Hanoi with the reason, and asks the agent to choose a unit', async () => {
    const outside = await api.post(
      '/reports',
      ihanoi,
      aReport({ location: { address: '12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh' } }),
    );
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toMatchObject({ type: 'urn:backbone:problem:report-outside-hanoi' });
    expect(outside.json<{ detail: string }>().detail).toContain('ho chi minh');

    const vague = aReport({ channel: '1022', location: { address: 'gần chợ đầu mối' } });
    const unresolved = await api.post('/reports', agent, vague);
    expect(unresolved.statusCode).toBe(422);
    const chosen = await api.post('/reports', agent, { ...vague, unitCode: WARD_TAY_HO });
    expect(chosen.json()).toMatchObject({ unitCode: WARD_TAY_HO, routedBy: 'chosen' });
    // A citizen's vague report waits at the city centre for an agent to route it.
    const centre = await api.post('/reports', ihanoi, {
      ...vague,
      channel: 'ihanoi',
      location: { address: 'gần cầu' },
    });
    expect(centre.json()).toMatchObject({ unitCode: 'VP-UBND', routedBy: 'hotline-centre' });
  });

  it('transfers (acceptance clock restarts) and reopens once, then escalates to the city', async () => {
    const report = (await api.post('/reports', ihanoi, aReport())).json<
      ReportView & { acceptanceDueAt: string }
    >();
    // Not Tây Hồ's report: its officer cannot even see it.
    expect((await api.post(`/reports/${report.id}/accept`, officerTH, {})).statusCode).toBe(404);
    const transferred = await api.post(`/reports/${report.id}/transfer`, officerHK, {
      toUnitCode: WARD_TAY_HO,
    });
    expect(transferred.json()).toMatchObject({ status: 'received', unitCode: WARD_TAY_HO });
    expect(transferred.json<{ acceptanceDueAt: string }>().acceptanceDueAt >= report.acceptanceDueAt).toBe(
      true,
    );
    expect((await api.get(`/reports/${report.id}`, officerHK)).statusCode).toBe(404);

    await work(report.id, officerTH);
    const reopened = await api.post(`/reports/${report.id}/rating`, ihanoi, { rating: 2 });
    expect(reopened.json()).toMatchObject({ status: 'in-progress', reopenCount: 1 });
    const answered = await api.post(`/reports/${report.id}/answer`, officerTH, { answer: 'Đã xử lý lại.' });
    expect(answered.statusCode).toBe(200);
    const escalated = await api.post(`/reports/${report.id}/rating`, ihanoi, { rating: 1 });
    expect(escalated.json()).toMatchObject({ status: 'received', unitCode: 'VP-UBND', escalated: true });

    const { events } = await eventsFor(h.topic, (all) =>
      all.some((e) => e.subject === report.id && e.type === 'report.escalated.v1'),
    );
    expect(ofSubject(events, report.id).map((e) => [e.type, e.unitcode])).toEqual([
      ['report.submitted.v1', WARD_HOAN_KIEM],
      ['report.transferred.v1', WARD_TAY_HO],
      ['report.accepted.v1', WARD_TAY_HO],
      ['report.assigned.v1', WARD_TAY_HO],
      ['report.work-started.v1', WARD_TAY_HO],
      ['report.answered.v1', WARD_TAY_HO],
      ['report.closed.v1', WARD_TAY_HO],
      ['report.reopened.v1', WARD_TAY_HO],
      ['report.answered.v1', WARD_TAY_HO],
      ['report.closed.v1', WARD_TAY_HO],
      ['report.escalated.v1', 'VP-UBND'],
    ]);
  });

  it('links a duplicate to the open report, and its reporter gets the answer', async () => {
    const first = (
      await api.post(
        '/reports',
        ihanoi,
        aReport({
          location: { address: 'Số 7 Đinh Tiên Hoàng, P. Hoàn Kiếm', lat: 21.0285, long: 105.8542 },
        }),
      )
    ).json<ReportView>();
    // Same category, 20 m away, different words: linked.
    const near = (
      await api.post(
        '/reports',
        ihanoi,
        aReport({
          channel: 'zalo',
          location: { lat: 21.02868, long: 105.8542 },
          reporter: { phone: '0987000111' },
        }),
      )
    ).json<ReportView>();
    expect(near).toMatchObject({ status: 'duplicate', duplicateOf: first.id, unitCode: WARD_HOAN_KIEM });
    // Same normalised address written differently: linked.
    const same = (
      await api.post(
        '/reports',
        ihanoi,
        aReport({ location: { address: 'so 7 dinh tien hoang, phuong HOAN KIEM' } }),
      )
    ).json<ReportView>();
    expect(same).toMatchObject({ status: 'duplicate', duplicateOf: first.id });
    // Another category at the same place is its own report.
    const other = (
      await api.post(
        '/reports',
        ihanoi,
        aReport({
          categoryCode: 'traffic.road-damage',
          location: { address: 'Số 7 Đinh Tiên Hoàng, P. Hoàn Kiếm' },
        }),
      )
    ).json<ReportView>();
    expect(other.status).toBe('received');

    await work(first.id, officerHK);
    const linked = await api.get(`/reports/${near.id}`, officerHK);
    expect(linked.json()).toMatchObject({
      status: 'duplicate',
      answer: 'Đơn vị đã xử lý xong.',
      primaryStatus: 'answered',
    });
    const { events } = await eventsFor(h.topic, (all) =>
      all.some((e) => e.subject === same.id && e.type === 'report.duplicate-linked.v1'),
    );
    expect(ofSubject(events, near.id).map((e) => e.type)).toEqual([
      'report.submitted.v1',
      'report.duplicate-linked.v1',
    ]);
    expect(ofSubject(events, near.id)[1]!.data).toMatchObject({ primaryReportId: first.id });
  });

  it('reports a breached deadline exactly once with two schedulers running, and again after restarts', async () => {
    const old = new Date(Date.now() - 20 * 24 * 3600_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1)
      ids.push((await api.post('/reports', ihanoi, aReport({ submittedAt: old }))).json<ReportView>().id);
    const calendar = h.t.app.get(WorkingCalendarService);
    const taxonomy = h.t.app.get(TaxonomyService);
    const auditTrail = h.t.app.get(AuditTrail);
    const options = {
      topic: h.topic,
      auditTrail,
      rules: await calendar.rules(),
      limits: await taxonomy.handlingLimits(),
      cityUnitCode: 'VP-UBND',
    };
    // Two instances: two pools on the same database, scanning at the same time.
    const instances = await Promise.all(
      [1, 2].map(async () => {
        const dataSource = new DataSource({
          type: 'postgres',
          url: h.t.database.url,
          poolSize: 4,
          entities: ENTITIES,
        });
        return dataSource.initialize();
      }),
    );
    try {
      const counts = await Promise.all(instances.map((ds) => scanOverdueReports(ds, options)));
      const again = await Promise.all(instances.map((ds) => scanOverdueReports(ds, options)));
      expect(again).toEqual([0, 0]);
      const mine = (n: number) => n;
      expect(mine(counts[0]! + counts[1]!)).toBeGreaterThanOrEqual(ids.length);
    } finally {
      await Promise.all(instances.map((ds) => ds.destroy()));
    }
    const { events } = await eventsFor(h.topic, (all) =>
      ids.every((id) => all.some((e) => e.subject === id && e.type === 'report.overdue.v1')),
    );
    for (const id of ids) {
      const overdue = ofSubject(events, id).filter((e) => e.type === 'report.overdue.v1');
      expect(overdue).toHaveLength(1);
      expect(overdue[0]!.data).toMatchObject({ stage: 'acceptance' });
    }
  });

  it('imports the same CDR file twice as one set of calls', async () => {
    const csv = [0, 1, 2]
      .map((i) =>
        [
          '',
          `09${i}8765432`,
          '1022',
          'from-pstn',
          `"Trần Thị B" <09${i}8765432>`,
          `PJSIP/trunk-0000000${i}`,
          `PJSIP/agent-10${i}0-0000002${i}`,
          i === 2 ? 'VoiceMail' : 'Queue',
          'hotline1022,t,,,300',
          `2026-07-01 08:0${i}:00`,
          i === 1 ? '' : `2026-07-01 08:0${i}:10`,
          `2026-07-01 08:0${i}:50`,
          '50',
          i === 1 ? '0' : '40',
          i === 1 ? 'NO ANSWER' : 'ANSWERED',
          'DOCUMENTATION',
          `cdr-twice.${i}`,
          '',
        ]
          // As Asterisk writes Master.csv: every field quoted, quotes doubled.
          .map((field) => `"${field.replace(/"/g, '""')}"`)
          .join(','),
      )
      .join('\n');
    const first = await api.post('/calls/cdr-imports', pbx, csv);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ linesRead: 3, callsAdded: 3, unchanged: 0 });
    const second = await api.post('/calls/cdr-imports', pbx, csv);
    expect(second.json()).toMatchObject({ linesRead: 3, callsAdded: 0, unchanged: 3 });
    const sql = new Client({ connectionString: h.t.database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query(
        `SELECT pbx_unique_id, disposition, outcome, caller_number_cipher LIKE 'v1.%' AS encrypted, caller_number_index IS NOT NULL AS indexed
         FROM calls WHERE pbx_unique_id LIKE 'cdr-twice.%' ORDER BY pbx_unique_id`,
      );
      expect(rows).toEqual([
        {
          pbx_unique_id: 'cdr-twice.0',
          disposition: 'answered',
          outcome: 'information-given',
          encrypted: true,
          indexed: true,
        },
        {
          pbx_unique_id: 'cdr-twice.1',
          disposition: 'abandoned',
          outcome: 'abandoned',
          encrypted: true,
          indexed: true,
        },
        {
          pbx_unique_id: 'cdr-twice.2',
          disposition: 'voicemail',
          outcome: 'abandoned',
          encrypted: true,
          indexed: true,
        },
      ]);
      const plain = await sql.query(
        `SELECT count(*)::int AS n FROM calls WHERE caller_number_cipher LIKE '%8765432%'`,
      );
      expect(plain.rows[0].n).toBe(0);
    } finally {
      await sql.end();
    }
    const { events } = await eventsFor(
      h.topic,
      (all) => all.filter((e) => e.type === 'call.ended.v1').length >= 4,
    );
    const cdrCalls = events.filter((e) => e.type === 'call.received.v1');
    expect(new Set(cdrCalls.map((e) => e.subject)).size).toBe(cdrCalls.length);
  });

  it('writes every later change of a call or report with its event and one audit record of who did it', async () => {
    const sql = new Client({ connectionString: h.t.database.url });
    await sql.connect();
    /** The succeeded audit records of one target, in order: the action, who acted, for which unit. */
    const audited = async (targetId: string) =>
      (
        await sql.query(
          `SELECT action, target_type, actor_subject, actor_roles, actor_units, unit_code FROM platform_audit_log
           WHERE target_id = $1 AND outcome = 'succeeded' ORDER BY occurred_at, id`,
          [targetId],
        )
      ).rows;
    try {
      // A call the PBX reports started, then ended: the end goes through the aggregate write path.
      const started = await api.post('/pbx/call-events', pbx, {
        event: 'started',
        uniqueId: 'audit-test.1',
        callerNumber: '0987654321',
        startedAt: new Date(Date.now() - 60_000).toISOString(),
      });
      const callId = started.json<{ call: { id: string } }>().call.id;
      const ended = {
        event: 'ended',
        uniqueId: 'audit-test.1',
        callerNumber: '0987654321',
        startedAt: new Date(Date.now() - 60_000).toISOString(),
        endedAt: new Date().toISOString(),
        durationSeconds: 60,
        disposition: 'answered',
      };
      expect((await api.post('/pbx/call-events', pbx, ended)).statusCode).toBe(200);
      // Sent again: nothing to do, nothing written.
      expect((await api.post('/pbx/call-events', pbx, ended)).statusCode).toBe(200);
      const answered = await api.post(`/calls/${callId}/inquiry-answer`, agent, {
        category: 'environment',
        answer: '  Lịch thu gom rác đã được gửi.  ',
      });
      expect(answered.statusCode).toBe(200);
      expect(answered.json()).toMatchObject({
        id: callId,
        caller: expect.not.stringContaining('87654321'),
        inquiry: { category: 'environment', answer: 'Lịch thu gom rác đã được gửi.' },
      });
      const again = await api.post(`/calls/${callId}/inquiry-answer`, agent, {
        category: 'environment',
        answer: 'Lần hai.',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ type: 'urn:backbone:problem:call-inquiry-answered' });
      const missing = await api.post('/calls/0198a0a0-0000-7000-8000-0000000000ff/inquiry-answer', agent, {
        category: 'environment',
        answer: 'Không có cuộc gọi này.',
      });
      expect(missing.statusCode).toBe(404);
      const [{ unit_code: callUnit }] = (
        await sql.query(`SELECT unit_code FROM calls WHERE id = $1`, [callId])
      ).rows;
      expect((await audited(callId)).filter((row) => row.action !== 'hotline.call.record')).toEqual([
        {
          action: 'hotline.call.end',
          target_type: 'call',
          actor_subject: 'pbx-connector',
          actor_roles: 'service',
          actor_units: '',
          unit_code: callUnit,
        },
        {
          action: 'hotline.call.answer-inquiry',
          target_type: 'call',
          actor_subject: '0198a0a0-0000-7000-8000-00000000a001',
          actor_roles: 'hotline-agent',
          actor_units: '',
          unit_code: callUnit,
        },
      ]);
      const { events: callEvents } = await eventsFor(h.topic, (all) =>
        all.some((e) => e.subject === callId && e.type === 'call.inquiry-answered.v1'),
      );
      expect(ofSubject(callEvents, callId).map((e) => [e.type, e.sequence])).toEqual([
        ['call.received.v1', expect.anything()],
        ['call.ended.v1', expect.anything()],
        ['call.inquiry-answered.v1', expect.anything()],
      ]);

      // A report past its acceptance deadline: the scheduler reports it (as itself, not a caller),
      // another unit's officer cannot see it, its own officer accepts it.
      const old = new Date(Date.now() - 20 * 24 * 3600_000).toISOString();
      const report = (await api.post('/reports', ihanoi, aReport({ submittedAt: old }))).json<ReportView>();
      const options = {
        topic: h.topic,
        auditTrail: h.t.app.get(AuditTrail),
        rules: await h.t.app.get(WorkingCalendarService).rules(),
        limits: await h.t.app.get(TaxonomyService).handlingLimits(),
        cityUnitCode: 'VP-UBND',
      };
      await scanOverdueReports(h.t.app.get(DataSource), options);
      const elsewhere = await api.post(`/reports/${report.id}/accept`, officerTH, {});
      expect(elsewhere.statusCode).toBe(404);
      expect(elsewhere.json()).toMatchObject({ type: 'urn:backbone:problem:not-found' });
      const accepted = await api.post(`/reports/${report.id}/accept`, officerHK, {});
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ id: report.id, status: 'accepted' });
      const refused = await api.post(`/reports/${report.id}/accept`, officerHK, {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ type: 'urn:backbone:problem:report-wrong-status' });
      expect((await audited(report.id)).filter((row) => row.action !== 'hotline.report.submit')).toEqual([
        {
          action: 'hotline.report.report-overdue',
          target_type: 'report',
          actor_subject: 'hotline-overdue-scheduler',
          actor_roles: 'service',
          actor_units: '',
          unit_code: WARD_HOAN_KIEM,
        },
        {
          action: 'hotline.report.accept',
          target_type: 'report',
          actor_subject: '0198a0a0-0000-7000-8000-00000000b001',
          actor_roles: 'officer',
          actor_units: WARD_HOAN_KIEM,
          unit_code: WARD_HOAN_KIEM,
        },
      ]);
      const history = (
        await sql.query(`SELECT count(*)::int AS n FROM report_history WHERE report_id = $1`, [report.id])
      ).rows[0].n;
      const { events: reportEvents } = await eventsFor(h.topic, (all) =>
        all.some((e) => e.subject === report.id && e.type === 'report.accepted.v1'),
      );
      const mine = ofSubject(reportEvents, report.id);
      expect(mine.map((e) => e.type)).toEqual([
        'report.submitted.v1',
        'report.overdue.v1',
        'report.accepted.v1',
      ]);
      expect(mine.map((e) => e.sequence)).toEqual([1, 2, 3]);
      // One history row per event.
      expect(history).toBe(mine.length);
    } finally {
      await sql.end();
    }
  });

  it('counts app account registrations without personal data, once per account', async () => {
    const first = await api.post('/app-accounts', ihanoi, {
      phone: '0905 111 222',
      homeUnitCode: WARD_TAY_HO,
    });
    expect(first.statusCode).toBe(201);
    const again = await api.post('/app-accounts', ihanoi, { phone: '+84905111222' });
    expect(again.json()).toMatchObject({
      accountId: first.json<{ accountId: string }>().accountId,
      alreadyRegistered: true,
    });
    const { events } = await eventsFor(h.topic, (all) =>
      all.some((e) => e.type === 'app-account.registered.v1'),
    );
    const registered = events.filter((e) => e.type === 'app-account.registered.v1');
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({ unitcode: WARD_TAY_HO });
  });

  it('applies the official calendar published by the dossier service', async () => {
    const kafka = createKafkaClient({
      brokers: testKafkaBrokers(),
      clientId: 'test-calendar',
      logLevel: 'nothing',
    });
    const producer = kafka.producer();
    await producer.connect();
    const event: CloudEvent = buildEvent(CalendarOfficialYearSetV1, {
      subject: '2031',
      unitcode: 'VP-UBND',
      sequence: 3,
      data: {
        yearId: '2031',
        year: 2031,
        version: 3,
        decisionNumber: 'test/2031',
        daysOff: ['2031-07-04'],
        workingDays: ['2031-07-05'],
        setAt: new Date().toISOString(),
      },
    });
    await producer.send([{ topic: h.dossierTopic, messages: [toOutgoingMessage(event)] }]);
    await producer.disconnect();
    const calendar = h.t.app.get(WorkingCalendarService);
    await eventually(
      async () => {
        const snapshot = await calendar.snapshot();
        if (snapshot.years['2031']?.version !== 3) throw new Error('not applied yet');
      },
      { timeoutMs: 60_000 },
    );
  });

  it('keeps units apart: unit staff their unit, agents and city admins all; stats for auditors', async () => {
    const report = (
      await api.post('/reports', ihanoi, aReport({ location: { address: 'Ngõ 1, P. Tây Hồ' } }))
    ).json<ReportView>();
    expect((await api.get(`/reports/${report.id}`, officerHK)).statusCode).toBe(404);
    expect((await api.get(`/reports/${report.id}`, officerTH)).statusCode).toBe(200);
    expect((await api.get(`/reports/${report.id}`, agent)).statusCode).toBe(200);
    expect((await api.get(`/reports/${report.id}`, cityAdmin)).statusCode).toBe(200);
    const list = (await api.get('/reports?limit=200', officerTH)).json<{ reports: ReportView[] }>();
    expect(list.reports.every((r) => r.unitCode === WARD_TAY_HO)).toBe(true);
    expect((await api.post(`/reports/${report.id}/accept`, agent, {})).statusCode).toBe(403);
    expect((await api.post('/reports', undefined, aReport())).statusCode).toBe(401);
    expect((await api.post('/reports', officerTH, aReport())).statusCode).toBe(403);
    const bad = await api.post(
      '/reports',
      ihanoi,
      aReport({ categoryCode: 'Not A Code', media: Array(11).fill({}) }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect((await api.get('/stats?from=2026-07-01&to=2026-07-02', officerTH)).statusCode).toBe(403);
    expect((await api.get('/stats?from=2026-07-01&to=2026-07-02', auditor)).statusCode).toBe(200);
    expect((await api.get('/stats?from=2026-07-01&to=10000-01-01', auditor)).statusCode).toBe(400);
  });

  it('lets the city admin edit the taxonomy and handling limits as effective-dated versions', async () => {
    const put = await api.put('/taxonomy/categories/environment.air', cityAdmin, {
      group: 'environment',
      nameVi: 'Ô nhiễm không khí',
      nameEn: 'Air pollution',
      description: 'Khói, bụi',
      validFrom: '2025-08-01',
    });
    expect(put.statusCode).toBe(200);
    expect((await api.put('/taxonomy/categories/environment.air', officerHK, {})).statusCode).toBe(403);
    const reply = await api.post('/reports', ihanoi, aReport({ categoryCode: 'environment.air' }));
    expect(reply.json()).toMatchObject({ category: 'environment', categoryCode: 'environment.air' });
    const limit = await api.put('/taxonomy/handling-limits/complex', cityAdmin, {
      workingHours: 64,
      validFrom: '2025-09-01',
      source: 'test',
    });
    expect(limit.statusCode).toBe(200);
    const older = await api.put('/taxonomy/handling-limits/complex', cityAdmin, {
      workingHours: 70,
      validFrom: '2025-08-01',
      source: 'test',
    });
    expect(older.statusCode).toBe(409);
  });

  it('never puts a caller number, name, e-mail, address or description on Kafka (the wire scanned)', async () => {
    const { records } = await eventsFor(h.topic, (all) => all.length > 50);
    const wire = records
      .map((record) => `${record.key} ${JSON.stringify(record.headers)} ${record.value?.toString('utf8')}`)
      .join('\n');
    for (const secret of [
      '0912345678',
      '912345678',
      '912 345 678',
      '0987000111',
      '8765432',
      '0905111222',
      '905111222',
      'Nguyễn Văn An',
      'Nguyen Van An',
      'Trần Thị B',
      'an.nguyen@example.vn',
      'Hàng Bạc',
      'Đinh Tiên Hoàng',
      'dinh tien hoang',
      'Rác thải tồn đọng',
      'Đơn vị đã xử lý',
    ])
      expect([secret, wire.includes(secret)]).toEqual([secret, false]);
  });

  it('runs its migrations', async () => {
    const sql = new Client({ connectionString: h.t.database.url });
    await sql.connect();
    try {
      const applied = await sql.query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.rows.map((row: { name: string }) => row.name)).toEqual(
        expect.arrayContaining(HOTLINE_MIGRATIONS.map((migration) => migration.name)),
      );
    } finally {
      await sql.end();
    }
  });
});
