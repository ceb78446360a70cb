import type { CloudEvent } from '@backbone/contracts';
import { ValidationProblemException } from '@backbone/platform';
import {
  dueDateFor,
  resumeAfterPause,
  snapshotWorkingCalendar,
  toVietnamLocal,
  type WorkingCalendarRules,
} from '@backbone/calendar';
import type { DossierEventType } from './dossier-events';
import { type DossierRole, isDerivedNotice, type TransitionPlan } from './dossier-lifecycle';
import type { Dossier, DossierHistoryEntry } from '../database/dossier.entities';
import { buildDossierEvents, type EventDetails } from './dossier-events.factory';
import type { TransitionDetails } from '../request-fields/transition-details.dto';

/** A transition the state machine permitted, with the role that was permitted to make it. */
export type PlannedTransition = Extract<TransitionPlan, { ok: true }> & { role: DossierRole };

/** A history row before it has its id and dossier id. */
export type NewHistoryEntry = Omit<DossierHistoryEntry, 'id' | 'dossierId'>;

export interface TransitionCircumstances {
  /** When it happens: now for a live transition, the historical time for an imported step. */
  at: Date;
  /** Who acted: the history's actor, and `receivedBy` on receipt. */
  actorSubject: string;
  /** The receiving officer's id as events may name it (staff UUIDv7 ids only; left out otherwise). */
  receivedByForEvents?: string;
  /** The calendar rules in force: needed by submit-online and receive, which take the dossier's snapshot. */
  calendar?: WorkingCalendarRules;
  details: TransitionDetails;
  /** Where a problem with `details` is reported: by default the field's name (a live request's body). */
  problemField?: (name: keyof TransitionDetails) => string;
  /** Why an apology's new date is refused; by default the live wording (the new date is after now). */
  apologyDateRule?: string;
}

const LIVE_APOLOGY_DATE_RULE = 'an apology (form 04) must promise a new date in the future';

/**
 * The effects of a planned transition on the dossier, the same for the intake, a live transition and
 * a step of an imported history: dates, receipt and due date (with the calendar snapshot), supplement
 * pauses that move the due date, fees, result, closure, apology; then status, version and event
 * sequence. Returns the history row and the events to write in the same transaction (to build with
 * buildPendingEvents once the dossier has its code); writes nothing itself. Throws ValidationProblemException when `details`
 * do not allow the transition (an unsigned result that must be signed, an apology without a later date).
 */
export function applyPlannedTransition(
  dossier: Dossier,
  plan: PlannedTransition,
  circumstances: TransitionCircumstances,
): { history: NewHistoryEntry; events: PendingEvents } {
  const { at, details: input } = circumstances;
  const details: EventDetails = { at, ...(plan.reason ? { reason: plan.reason } : {}) };
  switch (plan.action) {
    case 'submit-online':
      dossier.submittedAt = at;
      dossier.calendarSnapshot = calendarSnapshotAt(circumstances);
      break;
    case 'receive':
      dossier.receivedAt = at;
      dossier.receivedBy = circumstances.actorSubject;
      dossier.calendarSnapshot = calendarSnapshotAt(circumstances);
      dossier.dueAt = dueDateFor(at, dossier.procedureSnapshot.statutoryTime, dossier.calendarSnapshot).dueAt;
      if (circumstances.receivedByForEvents) details.receivedBy = circumstances.receivedByForEvents;
      break;
    case 'request-supplement':
      dossier.pausedAt = at;
      break;
    case 'provide-supplement': {
      const outcome = resumeAfterPause(dossier.dueAt!, dossier.pausedAt ?? at, at, dossier.calendarSnapshot);
      dossier.dueAt = outcome.newDueAt;
      dossier.pausedWorkingMinutes += outcome.pausedWorkingMinutes;
      dossier.pausedAt = null;
      details.pausedWorkingMinutes = outcome.pausedWorkingMinutes;
      break;
    }
    case 'request-payment':
      dossier.requestedFeeVnd = input.amountVnd ?? dossier.procedureSnapshot.feeVnd;
      details.amountVnd = dossier.requestedFeeVnd;
      break;
    case 'record-payment':
    case 'record-payment-and-resolve':
      dossier.paidAt = at;
      details.amountVnd = paymentOfRequestedFee(dossier, circumstances);
      details.paymentChannel = input.paymentChannel ?? 'cash';
      if (plan.action === 'record-payment-and-resolve') resolve(dossier, circumstances);
      break;
    case 'resolve':
      resolve(dossier, circumstances);
      break;
    case 'return-result':
      dossier.returnedAt = at;
      break;
    case 'reject-result':
      // The result (and any signature over it) is void; the dossier is worked on again.
      dossier.resolvedAt = null;
      dossier.resultDocumentSha256 = null;
      clearSignature(dossier);
      if (input.signatureId) details.signatureId = input.signatureId;
      break;
    case 'refuse-at-intake':
    case 'withdraw':
    case 'stop':
      dossier.closedAt = at;
      break;
    case 'report-overdue':
      dossier.overdueNotifiedAt = at;
      details.detectedAt = at;
      break;
    case 'issue-apology': {
      const newDueAt = input.newDueAt ? new Date(input.newDueAt) : undefined;
      if (!newDueAt || newDueAt.getTime() <= at.getTime()) {
        throw new ValidationProblemException([
          {
            field: problemField(circumstances, 'newDueAt'),
            reason: circumstances.apologyDateRule ?? LIVE_APOLOGY_DATE_RULE,
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
  const firstSequence = dossier.eventSequence + 1;
  dossier.status = plan.to;
  dossier.eventSequence += plan.eventTypes.length;
  if (!isDerivedNotice(plan.action)) {
    dossier.version += 1;
    dossier.updatedAt = at;
  }
  return {
    history: {
      action: plan.action,
      fromStatus: plan.from,
      toStatus: dossier.status,
      reason: plan.reason ?? null,
      actorSubject: circumstances.actorSubject,
      actorRole: plan.role,
      occurredAt: at,
      version: dossier.version,
    },
    events: { types: plan.eventTypes, details, firstSequence },
  };
}

/** A transition's events, numbered after the dossier's last event; built once the dossier has its code. */
export interface PendingEvents {
  types: readonly DossierEventType[];
  details: EventDetails;
  firstSequence: number;
}

/**
 * The CloudEvents of an applied transition, from the dossier's state after it: build them before
 * the dossier changes again (an imported history builds each step's before the next step).
 */
export function buildPendingEvents(dossier: Dossier, pending: PendingEvents): CloudEvent[] {
  return buildDossierEvents(dossier, pending.types, pending.details, pending.firstSequence);
}

function problemField(circumstances: TransitionCircumstances, name: keyof TransitionDetails): string {
  return circumstances.problemField ? circumstances.problemField(name) : name;
}

function calendarSnapshotAt(circumstances: TransitionCircumstances): WorkingCalendarRules {
  if (!circumstances.calendar) throw new Error('the calendar in force is needed to receive a dossier');
  return snapshotWorkingCalendar(circumstances.calendar, toVietnamLocal(circumstances.at).date);
}

function resolve(dossier: Dossier, circumstances: TransitionCircumstances): void {
  const sha256 = circumstances.details.resultDocumentSha256;
  if (dossier.procedureSnapshot.requiresSignature && !sha256) {
    throw new ValidationProblemException([
      {
        field: problemField(circumstances, 'resultDocumentSha256'),
        reason: 'the result of this procedure must be signed: give the SHA-256 of the result document',
      },
    ]);
  }
  dossier.resolvedAt = circumstances.at;
  if (dossier.resultDocumentSha256 !== (sha256 ?? null)) {
    // A signature is over one document: recorded for another (or before there was a result), it
    // is not this result's, so it is cleared and the result waits for its own.
    clearSignature(dossier);
  }
  dossier.resultDocumentSha256 = sha256 ?? null;
}

function clearSignature(dossier: Dossier): void {
  dossier.signatureId = null;
  dossier.signatureCompletedAt = null;
  dossier.signedDocumentSha256 = null;
  dossier.signedResultSha256 = null;
  dossier.signedResultStoredAt = null;
}

/**
 * The amount a payment records: the fee requested (request-payment), which the city's fee figures
 * add up. A payment of another amount is refused rather than recorded (issue 11).
 */
function paymentOfRequestedFee(dossier: Dossier, circumstances: TransitionCircumstances): number {
  const requested = dossier.requestedFeeVnd ?? 0;
  const paid = circumstances.details.amountVnd;
  if (paid !== undefined && paid !== requested) {
    throw new ValidationProblemException([
      {
        field: problemField(circumstances, 'amountVnd'),
        reason: `a payment must equal the fee requested: ${requested} VND`,
      },
    ]);
  }
  return requested;
}
