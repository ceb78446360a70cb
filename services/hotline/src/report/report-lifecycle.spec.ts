import { defaultWorkingCalendar } from '@backbone/calendar';
import { uuidv7 } from '@backbone/contracts';
import {
  applyReportStep,
  REPORT_TRANSITIONS,
  type ReportStep,
  type StepActor,
  type StepContext,
} from './report-lifecycle';
import { numberReportEvents } from './report-events';
import { acceptanceDeadline, type HandlingLimit } from './report-sla';
import { Report } from './report.entity';

const hanoi = (local: string) => new Date(`${local}+07:00`);
const rules = defaultWorkingCalendar();
const limits: HandlingLimit[] = [
  { level: 'normal', validFrom: '2025-07-01', validTo: null, workingHours: 40 },
  { level: 'complex', validFrom: '2025-07-01', validTo: null, workingHours: 80 },
];
const officer: StepActor = { subject: uuidv7(), role: 'officer', staffId: undefined };
const agent: StepActor = { subject: 'agent-7', role: 'hotline-agent' };
const citizen: StepActor = { subject: 'ihanoi-app', role: 'citizen' };

function aReport(level: Report['level'] = 'normal', submitted = hanoi('2026-07-06T09:00:00')): Report {
  return Object.assign(new Report(), {
    id: uuidv7(),
    status: 'received',
    level,
    unitCode: '00070',
    submittedAt: submitted,
    acceptanceClockStartedAt: submitted,
    acceptanceDueAt: acceptanceDeadline(submitted, rules),
    acceptedAt: null,
    handlingDueAt: null,
    assignee: null,
    answerText: null,
    answeredAt: null,
    closedAt: null,
    rating: null,
    rejectionReason: null,
    reopenCount: 0,
    escalated: false,
    acceptanceOverdueNotifiedFor: null,
    handlingOverdueNotifiedFor: null,
    version: 1,
  });
}

function step(report: Report, s: ReportStep, actor: StepActor, at: string) {
  const context: StepContext = { now: hanoi(at), rules, limits, cityUnitCode: 'VP-UBND' };
  const outcome = applyReportStep(report, s, actor, context);
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
  return numberReportEvents(report, outcome.events, actor, context.now).events;
}

describe('report state machine', () => {
  it('received → accepted → assigned → in progress → answered → closed, each an event with its actor', () => {
    const report = aReport();
    const types = [
      ...step(report, { action: 'accept' }, officer, '2026-07-06T10:00:00'),
      ...step(report, { action: 'assign', assignee: 'officer-9' }, officer, '2026-07-06T10:05:00'),
      ...step(report, { action: 'start' }, officer, '2026-07-06T10:10:00'),
      ...step(report, { action: 'answer', answer: 'Đã thu gom rác.' }, officer, '2026-07-07T09:00:00'),
      ...step(report, { action: 'rate', rating: 5 }, citizen, '2026-07-07T10:00:00'),
    ];
    expect(types.map((e) => [e.type, e.sequence, (e.data as { actorRole?: string }).actorRole])).toEqual([
      ['report.accepted.v1', 2, 'officer'],
      ['report.assigned.v1', 3, 'officer'],
      ['report.work-started.v1', 4, 'officer'],
      ['report.answered.v1', 5, 'officer'],
      ['report.closed.v1', 6, 'citizen'],
    ]);
    expect(types[0]!.data).toMatchObject({
      withinSla: true,
      // Monday 09:00 + 8 working hours (09–12, 13–17, then 08–09) = Tuesday 09:00.
      acceptanceDueAt: hanoi('2026-07-07T09:00:00').toISOString(),
    });
    // Normal: 40 working hours from acceptance on Monday 10:00 → the next Monday 10:00.
    expect(report.handlingDueAt).toEqual(hanoi('2026-07-13T10:00:00'));
    expect(types[3]!.data).toMatchObject({ withinSla: true });
    expect(report).toMatchObject({ status: 'closed', rating: 5 });
    // No personal data and no free text in any event.
    expect(JSON.stringify(types)).not.toContain('Đã thu gom');
  });

  it('urgent reports are due 4 working hours after acceptance; late steps are outside the SLA', () => {
    const report = aReport('urgent', hanoi('2026-07-06T08:00:00'));
    const [accepted] = step(report, { action: 'accept' }, officer, '2026-07-07T08:30:00');
    expect(accepted!.data).toMatchObject({ withinSla: false });
    expect(report.handlingDueAt).toEqual(hanoi('2026-07-07T13:30:00'));
    step(report, { action: 'assign', assignee: 'o' }, officer, '2026-07-07T08:31:00');
    step(report, { action: 'start' }, officer, '2026-07-07T08:32:00');
    const [answered] = step(report, { action: 'answer', answer: 'x' }, officer, '2026-07-07T14:00:00');
    expect(answered!.data).toMatchObject({
      withinSla: false,
      handlingDueAt: hanoi('2026-07-07T13:30:00').toISOString(),
    });
  });

  it('rejects with a reason from received', () => {
    const report = aReport();
    const [event] = step(
      report,
      { action: 'reject', reason: 'formal-complaint' },
      officer,
      '2026-07-06T10:00:00',
    );
    expect(event).toMatchObject({ type: 'report.rejected.v1', data: { reason: 'formal-complaint' } });
    expect(() => step(report, { action: 'accept' }, officer, '2026-07-06T10:01:00')).toThrow(/wrong-status/);
  });

  it('a transfer moves the report and restarts its acceptance clock', () => {
    const report = aReport();
    step(report, { action: 'accept' }, officer, '2026-07-06T10:00:00');
    const [event] = step(report, { action: 'transfer', toUnitCode: '00103' }, agent, '2026-07-06T16:00:00');
    expect(event).toMatchObject({
      type: 'report.transferred.v1',
      unitcode: '00103',
      data: { fromUnitCode: '00070', toUnitCode: '00103', actorRole: 'hotline-agent' },
    });
    expect(report).toMatchObject({
      status: 'received',
      unitCode: '00103',
      acceptedAt: null,
      handlingDueAt: null,
    });
    // 16:00 Monday + 8 working hours = 16:00 Tuesday.
    expect(report.acceptanceDueAt).toEqual(hanoi('2026-07-07T16:00:00'));
  });

  it('a rating of 1–2 reopens once, the second escalates to the city, a third only closes', () => {
    const report = aReport();
    const work = (day: string) => {
      step(report, { action: 'accept' }, officer, `${day}T09:00:00`);
      step(report, { action: 'assign', assignee: 'o' }, officer, `${day}T09:01:00`);
      step(report, { action: 'start' }, officer, `${day}T09:02:00`);
    };
    work('2026-07-06');
    step(report, { action: 'answer', answer: 'a' }, officer, '2026-07-06T10:00:00');
    const reopened = step(report, { action: 'rate', rating: 2 }, citizen, '2026-07-06T11:00:00');
    expect(reopened.map((e) => e.type)).toEqual(['report.closed.v1', 'report.reopened.v1']);
    expect(report).toMatchObject({ status: 'in-progress', reopenCount: 1, closedAt: null });
    expect(report.handlingDueAt).toEqual(hanoi('2026-07-13T11:00:00'));

    step(report, { action: 'answer', answer: 'b' }, officer, '2026-07-07T10:00:00');
    const escalated = step(report, { action: 'rate', rating: 1 }, citizen, '2026-07-07T11:00:00');
    expect(escalated.map((e) => [e.type, e.unitcode])).toEqual([
      ['report.closed.v1', '00070'],
      ['report.escalated.v1', 'VP-UBND'],
    ]);
    expect(report).toMatchObject({ status: 'received', unitCode: 'VP-UBND', escalated: true });

    work('2026-07-08');
    step(report, { action: 'answer', answer: 'c' }, officer, '2026-07-08T10:00:00');
    const last = step(report, { action: 'rate', rating: 1 }, citizen, '2026-07-08T11:00:00');
    expect(last.map((e) => e.type)).toEqual(['report.closed.v1']);
    expect(report.status).toBe('closed');
  });

  it('reports each breached deadline once', () => {
    const report = aReport('normal', hanoi('2026-07-06T09:00:00'));
    const context = (at: string): StepContext => ({ now: hanoi(at), rules, limits, cityUnitCode: 'VP-UBND' });
    const system: StepActor = { subject: 'scheduler', role: 'system' };
    const early = applyReportStep(
      report,
      { action: 'report-overdue', stage: 'acceptance' },
      system,
      context('2026-07-06T16:00:00'),
    );
    expect(early.ok).toBe(false);
    const first = applyReportStep(
      report,
      { action: 'report-overdue', stage: 'acceptance' },
      system,
      context('2026-07-07T10:00:00'),
    );
    expect(first).toMatchObject({
      ok: true,
      events: [{ type: 'report.overdue.v1', data: { stage: 'acceptance' } }],
    });
    const again = applyReportStep(
      report,
      { action: 'report-overdue', stage: 'acceptance' },
      system,
      context('2026-07-07T11:00:00'),
    );
    expect(again).toMatchObject({ ok: false, code: 'not-due' });
    // A transfer sets a new deadline, which may be breached (and reported) again.
    step(report, { action: 'transfer', toUnitCode: '00103' }, agent, '2026-07-07T11:30:00');
    const second = applyReportStep(
      report,
      { action: 'report-overdue', stage: 'acceptance' },
      system,
      context('2026-07-08T12:30:00'),
    );
    expect(second.ok).toBe(true);
  });

  it('refuses steps to roles the table does not name, and from other statuses', () => {
    const report = aReport();
    expect(
      applyReportStep(report, { action: 'accept' }, agent, {
        now: new Date(),
        rules,
        limits,
        cityUnitCode: 'VP-UBND',
      }),
    ).toMatchObject({
      ok: false,
      code: 'not-allowed',
    });
    expect(
      applyReportStep(report, { action: 'rate', rating: 5 }, citizen, {
        now: new Date(),
        rules,
        limits,
        cityUnitCode: 'VP-UBND',
      }),
    ).toMatchObject({
      ok: false,
      code: 'wrong-status',
    });
    expect(REPORT_TRANSITIONS.rate.roles).toEqual(['citizen', 'hotline-agent']);
  });
});
