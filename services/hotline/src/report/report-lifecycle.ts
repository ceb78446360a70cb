import type { ReportActorRole, ReportRejectionReason, ReportSlaStage } from '@backbone/contracts';
import type { WorkingCalendarRules } from '@backbone/calendar';
import type { Report } from './report.entity';
import { acceptanceDeadline, handlingDeadline, type HandlingLimit, withinDeadline } from './report-sla';

/**
 * A report's statuses. `duplicate` is a report linked to an open one (never worked itself);
 * `closed` and `rejected` end it (a low rating reopens or escalates in the same step).
 */
export const REPORT_STATUSES = [
  'received',
  'accepted',
  'assigned',
  'in-progress',
  'answered',
  'closed',
  'rejected',
  'duplicate',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Statuses in which the report is still being worked: duplicates link only to these. */
export const OPEN_REPORT_STATUSES: readonly ReportStatus[] = [
  'received',
  'accepted',
  'assigned',
  'in-progress',
  'answered',
];

/** The reasons a unit may reject a report with (a duplicate is linked at intake instead). */
export const REJECTION_REASONS = [
  'out-of-scope',
  'unclear',
  'formal-complaint',
] as const satisfies readonly ReportRejectionReason[];

export type ReportStep =
  | { action: 'accept' }
  | { action: 'reject'; reason: (typeof REJECTION_REASONS)[number] }
  | { action: 'transfer'; toUnitCode: string }
  | { action: 'assign'; assignee: string }
  | { action: 'start' }
  | { action: 'answer'; answer: string }
  | { action: 'rate'; rating: number }
  | { action: 'report-overdue'; stage: ReportSlaStage };

export type ReportAction = ReportStep['action'];

/** Who may take each step, and from which statuses: the whole state machine in one table. */
export const REPORT_TRANSITIONS: Readonly<
  Record<ReportAction, { from: readonly ReportStatus[]; roles: readonly ReportActorRole[] }>
> = {
  accept: { from: ['received'], roles: ['officer', 'unit-head', 'city-admin'] },
  reject: { from: ['received', 'accepted'], roles: ['officer', 'unit-head', 'city-admin'] },
  transfer: {
    from: ['received', 'accepted', 'assigned', 'in-progress'],
    roles: ['officer', 'unit-head', 'city-admin', 'hotline-agent'],
  },
  assign: { from: ['accepted', 'assigned'], roles: ['unit-head', 'officer', 'city-admin'] },
  start: { from: ['assigned'], roles: ['officer', 'unit-head', 'city-admin'] },
  answer: { from: ['in-progress'], roles: ['officer', 'unit-head', 'city-admin'] },
  rate: { from: ['answered'], roles: ['citizen', 'hotline-agent'] },
  'report-overdue': {
    from: ['received', 'accepted', 'assigned', 'in-progress'],
    roles: ['system'],
  },
};

/** The lowest rating that does not reopen a report. */
export const SATISFIED_RATING = 3;

export interface StepActor {
  /** Token subject (a staff account, a channel's client, or the service itself). */
  subject: string;
  role: ReportActorRole;
  /** The staff account id for events: only a UUIDv7 subject (never a citizen's identity). */
  staffId?: string | undefined;
}

export interface StepContext {
  now: Date;
  rules: WorkingCalendarRules;
  limits: readonly HandlingLimit[];
  /** Where a report goes when it escalates to the city. */
  cityUnitCode: string;
}

/** One event a step publishes, before it is numbered and enveloped (report-events.ts). */
export interface ReportEventDraft {
  type: string;
  data: Record<string, unknown>;
  /** The envelope's unitcode: the responsible unit after the step. */
  unitCode: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus;
  withinSla: boolean | null;
  details: Record<string, unknown>;
  /** The step's business time when not the time of the change (a relayed report's submission). */
  at?: Date;
}

export type StepOutcome =
  | { ok: true; events: ReportEventDraft[] }
  | { ok: false; code: 'not-allowed' | 'wrong-status' | 'invalid' | 'not-due'; message: string };

const iso = (at: Date) => at.toISOString();

function refuse(code: Exclude<StepOutcome, { ok: true }>['code'], message: string): StepOutcome {
  return { ok: false, code, message };
}

/**
 * Applies one step to the report (changing it in place) and returns the events it publishes, or
 * why it may not be taken: the explicit state machine of a report, without I/O. Every event
 * names its actor by role (and staff id). Deadlines come from the working calendar:
 * acceptance 8 working hours from the clock's start (restarted by a transfer or an escalation),
 * handling from acceptance by level (urgent 4 working hours, normal and complex from data).
 */
export function applyReportStep(
  report: Report,
  step: ReportStep,
  actor: StepActor,
  context: StepContext,
): StepOutcome {
  const rule = REPORT_TRANSITIONS[step.action];
  if (!rule.roles.includes(actor.role))
    return refuse('not-allowed', `a ${actor.role} may not ${step.action} a report`);
  if (!rule.from.includes(report.status))
    return refuse('wrong-status', `a ${report.status} report cannot be ${PAST[step.action]}`);
  const { now } = context;
  const from = report.status;
  const actorFields = {
    actorRole: actor.role,
    ...(actor.staffId ? { actorId: actor.staffId } : {}),
  };
  const draft = (
    type: string,
    data: Record<string, unknown>,
    details: Record<string, unknown> = {},
    withinSla: boolean | null = null,
  ): ReportEventDraft => ({
    type,
    data: { reportId: report.id, ...data },
    unitCode: report.unitCode,
    fromStatus: from,
    toStatus: report.status,
    withinSla,
    details,
  });
  report.updatedAt = now;

  switch (step.action) {
    case 'accept': {
      const acceptanceDueAt =
        report.acceptanceDueAt ?? acceptanceDeadline(report.acceptanceClockStartedAt, context.rules);
      report.status = 'accepted';
      report.acceptedAt = now;
      report.handlingDueAt = handlingDeadline(report.level, now, context.limits, context.rules);
      const within = withinDeadline(now, acceptanceDueAt);
      return {
        ok: true,
        events: [
          draft(
            'report.accepted.v1',
            {
              acceptedAt: iso(now),
              acceptanceDueAt: iso(acceptanceDueAt),
              withinSla: within,
              ...actorFields,
            },
            { handlingDueAt: iso(report.handlingDueAt) },
            within,
          ),
        ],
      };
    }
    case 'reject': {
      if (!(REJECTION_REASONS as readonly string[]).includes(step.reason))
        return refuse('invalid', `reason must be one of ${REJECTION_REASONS.join(', ')}`);
      report.status = 'rejected';
      report.rejectionReason = step.reason;
      report.closedAt = now;
      return {
        ok: true,
        events: [
          draft(
            'report.rejected.v1',
            { rejectedAt: iso(now), reason: step.reason, ...actorFields },
            { reason: step.reason },
          ),
        ],
      };
    }
    case 'transfer': {
      if (step.toUnitCode === report.unitCode)
        return refuse('invalid', `the report is already with unit ${report.unitCode}`);
      const fromUnitCode = report.unitCode;
      restartAcceptance(report, step.toUnitCode, context);
      return {
        ok: true,
        events: [
          draft(
            'report.transferred.v1',
            {
              fromUnitCode,
              toUnitCode: step.toUnitCode,
              transferredAt: iso(now),
              acceptanceDueAt: iso(report.acceptanceDueAt!),
              ...actorFields,
            },
            { fromUnitCode, toUnitCode: step.toUnitCode },
          ),
        ],
      };
    }
    case 'assign': {
      report.status = 'assigned';
      report.assignee = step.assignee;
      return {
        ok: true,
        events: [
          draft(
            'report.assigned.v1',
            {
              assignedUnitCode: report.unitCode,
              assignedAt: iso(now),
              handlingDueAt: iso(report.handlingDueAt!),
              ...actorFields,
            },
            { assignee: step.assignee },
          ),
        ],
      };
    }
    case 'start': {
      report.status = 'in-progress';
      return {
        ok: true,
        events: [
          draft('report.work-started.v1', {
            startedAt: iso(now),
            handlingDueAt: iso(report.handlingDueAt!),
            ...actorFields,
          }),
        ],
      };
    }
    case 'answer': {
      const answer = step.answer.trim();
      if (answer === '') return refuse('invalid', 'the answer must not be empty');
      report.status = 'answered';
      report.answerText = answer;
      report.answeredAt = now;
      const within = withinDeadline(now, report.handlingDueAt!);
      return {
        ok: true,
        events: [
          draft(
            'report.answered.v1',
            {
              answeredAt: iso(now),
              handlingDueAt: iso(report.handlingDueAt!),
              withinSla: within,
              ...actorFields,
            },
            {},
            within,
          ),
        ],
      };
    }
    case 'rate':
      return rate(report, step.rating, actorFields, draft, context);
    case 'report-overdue': {
      const dueAt = step.stage === 'acceptance' ? report.acceptanceDueAt : report.handlingDueAt;
      const notified =
        step.stage === 'acceptance' ? report.acceptanceOverdueNotifiedFor : report.handlingOverdueNotifiedFor;
      const stageApplies =
        step.stage === 'acceptance' ? report.status === 'received' : report.status !== 'received';
      if (!dueAt || !stageApplies || now.getTime() <= dueAt.getTime())
        return refuse('not-due', `the ${step.stage} deadline has not passed`);
      if (notified && notified.getTime() === dueAt.getTime())
        return refuse('not-due', `the ${step.stage} deadline ${iso(dueAt)} was already reported`);
      if (step.stage === 'acceptance') report.acceptanceOverdueNotifiedFor = dueAt;
      else report.handlingOverdueNotifiedFor = dueAt;
      return {
        ok: true,
        events: [
          draft(
            'report.overdue.v1',
            { stage: step.stage, dueAt: iso(dueAt), detectedAt: iso(now) },
            { stage: step.stage, dueAt: iso(dueAt) },
          ),
        ],
      };
    }
  }
}

const PAST: Record<ReportAction, string> = {
  accept: 'accepted',
  reject: 'rejected',
  transfer: 'transferred',
  assign: 'assigned',
  start: 'started',
  answer: 'answered',
  rate: 'rated',
  'report-overdue': 'reported overdue',
};

/** A new responsible unit must accept it again: the acceptance clock restarts now. */
function restartAcceptance(report: Report, unitCode: string, context: StepContext): void {
  report.unitCode = unitCode;
  report.status = 'received';
  report.acceptanceClockStartedAt = context.now;
  report.acceptanceDueAt = acceptanceDeadline(context.now, context.rules);
  report.acceptedAt = null;
  report.handlingDueAt = null;
  report.assignee = null;
}

/**
 * The citizen's rating closes the report. A rating of 1–2 reopens it once (its unit handles it
 * again, with a new handling deadline from now); the next 1–2 escalates it to the city, whose
 * acceptance clock starts; after escalation a low rating closes it for good.
 */
function rate(
  report: Report,
  rating: number,
  actorFields: Record<string, unknown>,
  draft: (
    type: string,
    data: Record<string, unknown>,
    details?: Record<string, unknown>,
    withinSla?: boolean | null,
  ) => ReportEventDraft,
  context: StepContext,
): StepOutcome {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    return refuse('invalid', 'rating must be a whole number from 1 to 5');
  const { now } = context;
  report.status = 'closed';
  report.rating = rating;
  report.closedAt = now;
  const events = [draft('report.closed.v1', { closedAt: iso(now), rating, ...actorFields }, { rating })];
  if (rating >= SATISFIED_RATING || report.escalated) return { ok: true, events };

  if (report.reopenCount === 0) {
    report.reopenCount = 1;
    report.status = 'in-progress';
    report.closedAt = null;
    report.answeredAt = null;
    report.handlingDueAt = handlingDeadline(report.level, now, context.limits, context.rules);
    events.push({
      ...draft('report.reopened.v1', {
        reopenedAt: iso(now),
        reason: `rated ${rating} by the citizen`,
        ...actorFields,
      }),
      fromStatus: 'closed',
      toStatus: 'in-progress',
      details: { rating, handlingDueAt: iso(report.handlingDueAt) },
    });
    return { ok: true, events };
  }
  const fromUnitCode = report.unitCode;
  const reopenCount = report.reopenCount;
  report.escalated = true;
  report.closedAt = null;
  report.answeredAt = null;
  restartAcceptance(report, context.cityUnitCode, context);
  events.push({
    ...draft('report.escalated.v1', {
      fromUnitCode,
      toUnitCode: context.cityUnitCode,
      escalatedAt: iso(now),
      acceptanceDueAt: iso(report.acceptanceDueAt!),
      reopenCount,
      actorRole: actorFields.actorRole,
    }),
    fromStatus: 'closed',
    toStatus: 'received',
    details: { rating, fromUnitCode, toUnitCode: context.cityUnitCode },
  });
  return { ok: true, events };
}
