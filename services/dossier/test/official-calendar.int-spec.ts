import { Logger } from '@nestjs/common';
import {
  addDays,
  type CalendarOverride,
  defaultWorkingCalendar,
  dueDateFor,
  hanoiDayOf,
  nextWorkingDay,
  parseLocalDate,
  type WorkingCalendarRules,
} from '@backbone/calendar';
import type { CloudEvent } from '@backbone/contracts';
import { OfficialCalendarWatch } from '../src/reference-data-api/official-calendar-watch';
import { readTopicUntil } from '@backbone/testing';
import { eventsOf } from '@backbone/testing/service-app';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

const WARD_A = '00070';
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: 3 working days
const SHA = 'a'.repeat(64);

describe('official calendar: a year entered in one request, versioned and published', () => {
  let t: DossierTestApp;
  let admin: string;
  let officer: string;

  beforeAll(async () => {
    t = await startDossierTestApp();
    admin = await t.token('admin-calendar', ['city-admin'], []);
    officer = await t.token('officer-calendar', ['officer'], [WARD_A]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const request = (method: 'GET' | 'PUT' | 'POST', url: string, token?: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  const day = (date: string, kind: 'day-off' | 'working-day' = 'day-off') => ({
    date,
    kind,
    reason: kind === 'day-off' ? 'official day off (test)' : 'swapped working day (test)',
  });

  it('refuses a decision with one bad day with a 400 naming it, and stores nothing', async () => {
    const outside = await request('PUT', '/calendar/official-years/2027', admin, {
      decisionNumber: '1/TEST-BNV',
      days: [day('2027-02-05'), day('2028-01-03'), day('2027-02-05')],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors).toEqual([
      { field: 'days[1].date', reason: '2028-01-03 is not in 2027' },
      { field: 'days[2].date', reason: '2027-02-05 is listed more than once' },
    ]);
    const badKind = await request('PUT', '/calendar/official-years/2027', admin, {
      decisionNumber: '1/TEST-BNV',
      days: [day('2027-02-05'), { ...day('2027-02-06'), kind: 'holiday' }],
    });
    expect(badKind.statusCode).toBe(400);
    expect(JSON.stringify(badKind.json().errors)).toMatch(/days\.1\.kind|days\[1\]\.kind/);
    const tooMany = await request('PUT', '/calendar/official-years/2027', admin, {
      decisionNumber: '1/TEST-BNV',
      days: Array.from({ length: 61 }, (_, i) => day(addDays('2027-03-01', i))),
    });
    expect(tooMany.statusCode).toBe(400);
    const farYear = await request('PUT', '/calendar/official-years/9999', admin, {
      decisionNumber: '1/TEST-BNV',
      days: [],
    });
    expect(farYear.statusCode).toBe(400);
    expect(farYear.json().errors).toEqual([{ field: 'year', reason: 'must be a year from 2000 to 2100' }]);
    expect(
      (await request('PUT', '/calendar/official-years/2027', officer, { decisionNumber: 'x', days: [] }))
        .statusCode,
    ).toBe(403);

    expect((await request('GET', '/calendar/official-years/2027', officer)).statusCode).toBe(404);
    expect((await request('GET', '/calendar/overrides?year=2027', officer)).json()).toEqual([]);
    expect((await request('GET', '/calendar/official-years/2027/history', admin)).json()).toEqual([]);
  });

  it('stores a whole year in one request, keeps who/old/new, and publishes each version on the topic', async () => {
    const first = await request('PUT', '/calendar/official-years/2027', admin, {
      decisionNumber: '1/TEST-BNV',
      days: [day('2027-02-12'), day('2027-02-20', 'working-day')],
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ year: 2027, version: 1, previousVersion: null });
    const second = await request('PUT', '/calendar/official-years/2027', admin, {
      decisionNumber: '2/TEST-BNV',
      days: [day('2027-02-12'), day('2027-05-03'), day('2027-02-20', 'working-day')],
    });
    expect(second.json()).toMatchObject({ year: 2027, version: 2, previousVersion: 1 });

    const overrides = (await request('GET', '/calendar/overrides?year=2027', officer)).json();
    expect(overrides.map((o: CalendarOverride) => [o.date, o.kind, o.source])).toEqual([
      ['2027-02-12', 'day-off', '2/TEST-BNV'],
      ['2027-02-20', 'working-day', '2/TEST-BNV'],
      ['2027-05-03', 'day-off', '2/TEST-BNV'],
    ]);
    expect((await request('GET', '/calendar/official-years', officer)).json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ year: 2025, version: 1, updatedBy: 'seed' }),
        expect.objectContaining({ year: 2026, version: 1, updatedBy: 'seed' }),
        expect.objectContaining({
          year: 2027,
          version: 2,
          decisionNumber: '2/TEST-BNV',
          updatedBy: 'admin-calendar',
        }),
      ]),
    );

    const history = (await request('GET', '/calendar/official-years/2027/history', admin)).json();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      year: 2027,
      version: 1,
      change: 'year.put',
      changedBy: 'admin-calendar',
      oldValue: null,
      newValue: { version: 1, decisionNumber: '1/TEST-BNV' },
    });
    expect(history[1]).toMatchObject({
      version: 2,
      changedBy: 'admin-calendar',
      oldValue: { version: 1, decisionNumber: '1/TEST-BNV' },
      newValue: { version: 2, decisionNumber: '2/TEST-BNV' },
    });
    expect(history[1].newValue.days.map((d: CalendarOverride) => d.date)).toEqual([
      '2027-02-12',
      '2027-02-20',
      '2027-05-03',
    ]);
    expect(Date.parse(history[1].changedAt)).toBeGreaterThanOrEqual(Date.parse(history[0].changedAt));

    const records = await readTopicUntil(t.config.DOSSIER_EVENTS_TOPIC, (all) => {
      const mine = all.filter((r) => r.key === '2027');
      if (mine.length < 2) throw new Error(`${mine.length} calendar events so far`);
    });
    const events = eventsOf(records.filter((r) => r.key === '2027')) as CloudEvent<Record<string, unknown>>[];
    expect(events.map((e) => [e.type, e.sequence, e.unitcode, e.subject])).toEqual([
      ['calendar.official-year-set.v1', 1, 'VP-UBND', '2027'],
      ['calendar.official-year-set.v1', 2, 'VP-UBND', '2027'],
    ]);
    expect(events[1]!.data).toMatchObject({
      yearId: '2027',
      year: 2027,
      version: 2,
      decisionNumber: '2/TEST-BNV',
      daysOff: ['2027-02-12', '2027-05-03'],
      workingDays: ['2027-02-20'],
    });
    expect(records.find((r) => r.key === '2027')!.headers['ce_type']).toBe('calendar.official-year-set.v1');
  });

  it('computes the deadlines of dossiers received afterwards with the new days', async () => {
    // The next working day after today (Hanoi) falls inside any 3-working-day deadline starting now.
    const allOverrides = async (): Promise<CalendarOverride[]> =>
      (await request('GET', '/calendar/overrides', officer)).json();
    const rulesWith = (overrides: CalendarOverride[]): WorkingCalendarRules => ({
      ...defaultWorkingCalendar('test'),
      overrides: overrides.map(({ date, kind, reason, source }) => ({ date, kind, reason, source })),
    });
    const before = rulesWith(await allOverrides());
    const target = nextWorkingDay(hanoiDayOf(new Date()), before);
    const { year } = parseLocalDate(target);
    const current = await request('GET', `/calendar/official-years/${year}`, officer);
    const days: Array<{ date: string; kind: string; reason: string; source?: string }> =
      current.statusCode === 200 ? current.json().days : [];
    const put = await request('PUT', `/calendar/official-years/${year}`, admin, {
      decisionNumber: '3/TEST-BNV',
      days: [...days.filter((d) => d.date !== target), day(target)],
    });
    expect(put.statusCode).toBe(200);

    const received = await request('POST', '/dossiers', officer, {
      unitCode: WARD_A,
      procedureCode: RESIDENCE,
      channel: 'direct',
      digitised: true,
      applicant: {
        fullName: 'Lê Văn Bình',
        nationalId: '001099055555',
        phone: '0912000111',
        address: 'Hà Nội',
      },
      attachments: [{ name: 'to-khai.pdf', mediaType: 'application/pdf', sizeBytes: 1_000, sha256: SHA }],
    });
    expect(received.statusCode).toBe(201);
    const dossier = received.json();
    const after = rulesWith(await allOverrides());
    const expected = dueDateFor(
      new Date(dossier.receivedAt),
      { unit: 'working-days', value: 3 },
      after,
    ).dueAt;
    const underOldDays = dueDateFor(
      new Date(dossier.receivedAt),
      { unit: 'working-days', value: 3 },
      before,
    ).dueAt;
    expect(new Date(dossier.dueAt).toISOString()).toBe(expected.toISOString());
    expect(expected.getTime()).toBeGreaterThan(underOldDays.getTime());
  });

  it('from 1 November warns on readiness (still ready), in the metric and once a day in the log', async () => {
    const watch = t.app.get(OfficialCalendarWatch);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      // 2 November 2027 in Hanoi: 2028 has no decision yet.
      watch.useClock(() => new Date('2027-11-02T03:00:00Z'));
      await watch.refresh();
      await watch.refresh(); // same Hanoi day: no second log line
      const ready = await request('GET', '/health/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ok',
        details: {
          database: { status: 'up' },
          'official-calendar': {
            status: 'up',
            nextYear: 2028,
            nextYearDecision: 'missing',
            warning: expect.stringMatching(/no official calendar decision entered for 2028/),
          },
        },
      });
      expect((await request('GET', '/metrics')).body).toMatch(/^calendar_next_year_decision_missing 1$/m);
      const lines = () =>
        warn.mock.calls.filter(([message]) => String(message).includes('decision entered for 2028')).length;
      expect(lines()).toBe(1);

      watch.useClock(() => new Date('2027-11-03T03:00:00Z')); // the next day: one more line
      await watch.refresh();
      expect(lines()).toBe(2);

      const entered = await request('PUT', '/calendar/official-years/2028', admin, {
        decisionNumber: '4/TEST-BNV',
        days: [day('2028-01-24')],
      });
      expect(entered.statusCode).toBe(200);
      const readyAfter = (await request('GET', '/health/ready')).json();
      expect(readyAfter.details['official-calendar']).toEqual({
        status: 'up',
        nextYear: 2028,
        nextYearDecision: 'entered',
      });
      expect((await request('GET', '/metrics')).body).toMatch(/^calendar_next_year_decision_missing 0$/m);

      // Before 1 November nothing is due yet.
      watch.useClock(() => new Date('2028-10-31T16:00:00Z'));
      await watch.refresh();
      expect((await request('GET', '/health/ready')).json().details['official-calendar']).toEqual({
        status: 'up',
        nextYear: 2029,
        nextYearDecision: 'not due before 1 November',
      });
    } finally {
      warn.mockRestore();
      watch.useClock(() => new Date());
    }
  });
});
