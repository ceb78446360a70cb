import type { CloudEvent } from '@backbone/contracts';
import { type FieldProblem, ValidationProblemException } from '@backbone/platform';
import {
  dueDateFor,
  resumeAfterPause,
  snapshotWorkingCalendar,
  toVietnamLocal,
  type WorkingCalendarRules,
} from '../calendar';
import { type DossierRole, planTransition } from '../dossier';
import type { Dossier, DossierHistoryEntry } from '../database/dossier.entities';
import { buildDossierEvents, type EventDetails } from '../shared/dossier-events.factory';
import type { ImportableAction, ImportedTransitionDto } from './import-dossiers.dto';

/**
 * The roles tried, in this order, for a step of an imported history: the source systems do not say
 * which role acted, only that the step happened; the state machine still decides whether anyone
 * could have taken it from that status.
 */
const HISTORICAL_ROLES: readonly DossierRole[] = [
  'officer',
  'unit-head',
  'signer',
  'service',
  'citizen-online',
  'city-admin',
];

export type ImportedHistoryEntry = Omit<DossierHistoryEntry, 'id' | 'dossierId'>;

export interface ReplayedHistory {
  events: CloudEvent[];
  history: ImportedHistoryEntry[];
}

type Step = {
  action: 'submit-online' | 'receive' | ImportableAction;
  at: Date;
  field: string;
  input?: ImportedTransitionDto;
};

/**
 * Checks the timestamps of an import before anything is locked: in time order, receipt in the past,
 * nothing after `now`, submission (online only) not after receipt.
 */
export function checkImportTimeline(
  input: { channel: string; submittedAt?: string; receivedAt: string; transitions: { at: string }[] },
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const receivedAt = new Date(input.receivedAt);
  if (!(receivedAt.getTime() < now.getTime()))
    problems.push({ field: 'receivedAt', reason: 'an imported dossier was received in the past' });
  if (input.submittedAt !== undefined) {
    if (input.channel !== 'online')
      problems.push({ field: 'submittedAt', reason: 'only an online dossier has a submission time' });
    else if (new Date(input.submittedAt).getTime() > receivedAt.getTime())
      problems.push({ field: 'submittedAt', reason: 'the submission cannot be after the receipt' });
  }
  let previous = receivedAt.getTime();
  input.transitions.forEach((transition, index) => {
    const at = new Date(transition.at).getTime();
    if (at < previous)
      problems.push({
        field: `transitions[${index}].at`,
        reason: 'transitions must be in time order, after the receipt',
      });
    if (at > now.getTime()) problems.push({ field: `transitions[${index}].at`, reason: 'in the future' });
    previous = Math.max(previous, at);
  });
  return problems;
}

/**
 * Runs an imported dossier's history through the same state machine (`planTransition`) and the same
 * effects as live transitions, at the historical times: the due date is computed at the historical
 * receipt with the calendar in force then, supplement pauses move it by the working time that passed,
 * and every event carries the time its step happened. `dossier` arrives in the "(new)" state with
 * its code allocated, and leaves in its final state; nothing is written here.
 */
export function replayImportedHistory(
  dossier: Dossier,
  source: { submittedAt?: Date; receivedAt: Date; transitions: ImportedTransitionDto[] },
  context: { calendar: WorkingCalendarRules; provenance: string; importer: string },
): ReplayedHistory {
  const steps: Step[] = [
    ...(dossier.channel === 'online'
      ? [
          {
            action: 'submit-online' as const,
            at: source.submittedAt ?? source.receivedAt,
            field: 'submittedAt',
          },
        ]
      : []),
    { action: 'receive', at: source.receivedAt, field: 'receivedAt' },
    ...source.transitions.map((input, index) => ({
      action: input.action,
      at: new Date(input.at),
      field: `transitions[${index}]`,
      input,
    })),
  ];
  const events: CloudEvent[] = [];
  const history: ImportedHistoryEntry[] = [];
  const procedure = dossier.procedureSnapshot;

  for (const [index, step] of steps.entries()) {
    const input = step.input;
    const reason = input?.reason;
    const plan = planFirstPermitted(index === 0 ? null : dossier.status, step.action, {
      ...(reason !== undefined ? { reason } : {}),
      requiresSignature: procedure.requiresSignature,
      // A signature made in the source system cannot be verified here: a signed result is imported
      // as resolved, and returned once the signing service reports the signature.
      signatureCompleted: dossier.signatureCompletedAt !== null,
    });
    if (!plan.ok) {
      throw new ValidationProblemException([
        { field: step.field === 'receivedAt' ? 'channel' : `${step.field}.action`, reason: plan.message },
      ]);
    }
    const at = step.at;
    const details: EventDetails = { at, ...(plan.reason ? { reason: plan.reason } : {}) };
    switch (plan.action) {
      case 'submit-online':
        dossier.submittedAt = at;
        dossier.calendarSnapshot = snapshotWorkingCalendar(context.calendar, toVietnamLocal(at).date);
        break;
      case 'receive':
        dossier.receivedAt = at;
        dossier.receivedBy = context.importer;
        dossier.calendarSnapshot = snapshotWorkingCalendar(context.calendar, toVietnamLocal(at).date);
        dossier.dueAt = dueDateFor(at, procedure.statutoryTime, dossier.calendarSnapshot).dueAt;
        break;
      case 'request-supplement':
        dossier.pausedAt = at;
        break;
      case 'provide-supplement': {
        const outcome = resumeAfterPause(
          dossier.dueAt!,
          dossier.pausedAt ?? at,
          at,
          dossier.calendarSnapshot,
        );
        dossier.dueAt = outcome.newDueAt;
        dossier.pausedWorkingMinutes += outcome.pausedWorkingMinutes;
        dossier.pausedAt = null;
        details.pausedWorkingMinutes = outcome.pausedWorkingMinutes;
        break;
      }
      case 'request-payment':
        dossier.requestedFeeVnd = input?.amountVnd ?? procedure.feeVnd;
        details.amountVnd = dossier.requestedFeeVnd;
        break;
      case 'record-payment':
      case 'record-payment-and-resolve':
        dossier.paidAt = at;
        details.amountVnd = input?.amountVnd ?? dossier.requestedFeeVnd ?? 0;
        details.paymentChannel = input?.paymentChannel ?? 'cash';
        if (plan.action === 'record-payment-and-resolve') resolve(dossier, input, at, step.field);
        break;
      case 'resolve':
        resolve(dossier, input, at, step.field);
        break;
      case 'return-result':
        dossier.returnedAt = at;
        break;
      case 'withdraw':
      case 'stop':
        dossier.closedAt = at;
        break;
      case 'issue-apology': {
        const newDueAt = input?.newDueAt ? new Date(input.newDueAt) : undefined;
        if (!newDueAt || newDueAt.getTime() <= at.getTime()) {
          throw new ValidationProblemException([
            {
              field: `${step.field}.newDueAt`,
              reason: 'an apology (form 04) must promise a date after it was issued',
            },
          ]);
        }
        details.previousDueAt = dossier.promisedDueAt ?? dossier.dueAt!;
        dossier.promisedDueAt = newDueAt;
        break;
      }
      default:
        break;
    }
    const from = index === 0 ? null : dossier.status;
    const firstSequence = dossier.eventSequence + 1;
    dossier.status = plan.to;
    dossier.version = index === 0 ? 1 : dossier.version + 1;
    dossier.eventSequence += plan.eventTypes.length;
    dossier.updatedAt = at;
    history.push({
      action: plan.action,
      fromStatus: from,
      toStatus: dossier.status,
      // The first entry says where the dossier came from.
      reason: index === 0 ? context.provenance : (plan.reason ?? null),
      actorSubject: input?.actor ?? context.importer,
      actorRole: plan.role,
      occurredAt: at,
      version: dossier.version,
    });
    events.push(...buildDossierEvents(dossier, plan.eventTypes, details, firstSequence));
  }
  return { events, history };
}

function planFirstPermitted(
  current: Dossier['status'] | null,
  action: string,
  input: Parameters<typeof planTransition>[3],
) {
  let refusal: Extract<ReturnType<typeof planTransition>, { ok: false }> | undefined;
  for (const role of HISTORICAL_ROLES) {
    const plan = planTransition(current, action, { role }, input);
    if (plan.ok) return { ...plan, role };
    if (!refusal || refusal.code === 'role-not-permitted') refusal = plan;
  }
  return refusal!;
}

function resolve(dossier: Dossier, input: ImportedTransitionDto | undefined, at: Date, field: string): void {
  if (dossier.procedureSnapshot.requiresSignature && !input?.resultDocumentSha256) {
    throw new ValidationProblemException([
      {
        field: `${field}.resultDocumentSha256`,
        reason: 'the result of this procedure must be signed: give the SHA-256 of the result document',
      },
    ]);
  }
  dossier.resolvedAt = at;
  dossier.resultDocumentSha256 = input?.resultDocumentSha256 ?? null;
}
