// The dossier lifecycle as an explicit state machine (statuses from the field guide; Decree
// 118/2025/NĐ-CP and Circular 03/2025/TT-VPCP for the forms). Every transition names the roles that
// may make it, whether a reason is required, and the events it publishes on dossier.events.v1.
//
//   (new)                 --submit-online-->              submitted-online
//   (new), submitted-online --receive-->                    received
//   (new), submitted-online --refuse-at-intake-->           refused-at-intake        (reason)
//   received              --start-processing-->           processing
//   processing            --request-supplement-->         supplement-requested     (reason; clock pauses)
//   supplement-requested  --provide-supplement-->         processing               (due date moves)
//   processing            --request-payment-->            awaiting-payment
//   awaiting-payment      --record-payment-->             processing
//   awaiting-payment      --record-payment-and-resolve--> resolved
//   processing            --resolve-->                    resolved
//   resolved              --return-result-->              result-returned          (signed result: after signature.completed)
//   resolved              --reject-result-->              processing               (reason; signature.rejected, ADR 0012)
//   submitted-online, received, processing, supplement-requested, awaiting-payment --withdraw--> withdrawn (reason)
//   received, processing, supplement-requested, awaiting-payment --stop--> stopped (reason)
//   received, processing, supplement-requested, awaiting-payment --issue-apology / report-overdue--> (unchanged)
//
// Decisions:
// - Withdrawal is possible until there is a result (resolved): after that the unit has done the work
//   and the result is the citizen's to collect. A citizen withdraws online, or an officer records a
//   written request at the desk; the citizen's stated reason is required.
// - Stopping (đình chỉ / dừng xử lý, e.g. the dossier is found forged, or an authority orders it) is a
//   management decision: unit-head or city-admin, reason required. Not possible before receipt (that
//   is a refusal) nor after resolution.
// - A refusal at intake needs a reason (form 03 states it). It can be made at the desk without
//   creating a received dossier, or when an online submission is examined.
// - Awaiting payment goes back to processing when the fee is paid; if the payment is the last step
//   (the result was ready before the payment request), record-payment-and-resolve publishes fee-paid
//   and then resolved.
// - Overdue is derived (isOverdue), never a status.
// Open (clock matters) and terminal statuses: the contracts' sets, shared with reporting.
import { type DossierStatus, OPEN_DOSSIER_STATUSES, TERMINAL_DOSSIER_STATUSES } from '@backbone/contracts';
import type { DossierEventType } from './dossier-events';

// The status set is the contract's (consumers fold the same vocabulary); re-exported for this service's modules.
export { DOSSIER_STATUSES, type DossierStatus } from '@backbone/contracts';

export const DOSSIER_ROLES = [
  'officer',
  'unit-head',
  'signer',
  'city-admin',
  'service',
  'citizen-online',
] as const;
export type DossierRole = (typeof DOSSIER_ROLES)[number];

export const DOSSIER_ACTIONS = [
  'submit-online',
  'receive',
  'refuse-at-intake',
  'start-processing',
  'request-supplement',
  'provide-supplement',
  'request-payment',
  'record-payment',
  'record-payment-and-resolve',
  'resolve',
  'return-result',
  'withdraw',
  'stop',
  'issue-apology',
  'report-overdue',
  'reject-result',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** `null` stands for "no dossier yet": the status before intake or online submission. */
export type DossierStatusOrNew = DossierStatus | null;

export interface TransitionRule {
  from: readonly DossierStatusOrNew[];
  action: DossierAction;
  /** A status, or 'unchanged' for actions that only publish an event. */
  to: DossierStatus | 'unchanged';
  roles: readonly DossierRole[];
  reasonRequired: boolean;
  /** Published in this order. */
  events: readonly DossierEventType[];
  /** The result can be handed over only once the signing service has reported the signature. */
  requiresCompletedSignatureWhenSigned?: boolean;
  /**
   * A notice derived from the clock, not a decision: it leaves the dossier's version (an officer's
   * pending decision does not become stale because the scheduler noticed a date) and its history.
   */
  derivedNotice?: boolean;
}

const OPEN_BEFORE_RESULT = ['submitted-online', ...OPEN_DOSSIER_STATUSES] as const;

export const DOSSIER_TRANSITIONS: readonly TransitionRule[] = [
  {
    from: [null],
    action: 'submit-online',
    to: 'submitted-online',
    roles: ['citizen-online', 'service'],
    reasonRequired: false,
    events: ['dossier.submitted-online.v1'],
  },
  {
    from: [null, 'submitted-online'],
    action: 'receive',
    to: 'received',
    roles: ['officer'],
    reasonRequired: false,
    events: ['dossier.received.v1'],
  },
  {
    from: [null, 'submitted-online'],
    action: 'refuse-at-intake',
    to: 'refused-at-intake',
    roles: ['officer'],
    reasonRequired: true,
    events: ['dossier.refused-at-intake.v1'],
  },
  {
    from: ['received'],
    action: 'start-processing',
    to: 'processing',
    roles: ['officer', 'unit-head'],
    reasonRequired: false,
    events: ['dossier.processing-started.v1'],
  },
  {
    from: ['processing'],
    action: 'request-supplement',
    to: 'supplement-requested',
    roles: ['officer', 'unit-head'],
    reasonRequired: true,
    events: ['dossier.supplement-requested.v1'],
  },
  {
    from: ['supplement-requested'],
    action: 'provide-supplement',
    to: 'processing',
    roles: ['officer', 'citizen-online'],
    reasonRequired: false,
    events: ['dossier.supplement-provided.v1'],
  },
  {
    from: ['processing'],
    action: 'request-payment',
    to: 'awaiting-payment',
    roles: ['officer', 'unit-head'],
    reasonRequired: false,
    events: ['dossier.payment-requested.v1'],
  },
  {
    from: ['awaiting-payment'],
    action: 'record-payment',
    to: 'processing',
    roles: ['officer', 'service'],
    reasonRequired: false,
    events: ['dossier.fee-paid.v1'],
  },
  {
    from: ['awaiting-payment'],
    action: 'record-payment-and-resolve',
    to: 'resolved',
    roles: ['officer', 'service'],
    reasonRequired: false,
    events: ['dossier.fee-paid.v1', 'dossier.resolved.v1'],
  },
  {
    from: ['processing'],
    action: 'resolve',
    to: 'resolved',
    roles: ['officer', 'unit-head', 'signer'],
    reasonRequired: false,
    events: ['dossier.resolved.v1'],
  },
  {
    from: ['resolved'],
    action: 'return-result',
    to: 'result-returned',
    roles: ['officer', 'service'],
    reasonRequired: false,
    events: ['dossier.result-returned.v1'],
    requiresCompletedSignatureWhenSigned: true,
  },
  {
    // The signer refused to sign the result (signature.rejected.v1 with the signer's reason): the
    // result is void and the unit works on the dossier again (ADR 0012). Only the signing outcome
    // does this, through the consumer, never a staff request.
    from: ['resolved'],
    action: 'reject-result',
    to: 'processing',
    roles: ['service'],
    reasonRequired: true,
    events: ['dossier.result-rejected.v1'],
  },
  {
    from: OPEN_BEFORE_RESULT,
    action: 'withdraw',
    to: 'withdrawn',
    roles: ['citizen-online', 'officer'],
    reasonRequired: true,
    events: ['dossier.withdrawn.v1'],
  },
  {
    from: OPEN_DOSSIER_STATUSES,
    action: 'stop',
    to: 'stopped',
    roles: ['unit-head', 'city-admin'],
    reasonRequired: true,
    events: ['dossier.stopped.v1'],
  },
  {
    from: OPEN_DOSSIER_STATUSES,
    action: 'issue-apology',
    to: 'unchanged',
    roles: ['officer', 'unit-head'],
    reasonRequired: true,
    events: ['dossier.apology-issued.v1'],
  },
  {
    from: OPEN_DOSSIER_STATUSES,
    action: 'report-overdue',
    to: 'unchanged',
    roles: ['service'],
    reasonRequired: false,
    events: ['dossier.overdue.v1'],
    derivedNotice: true,
  },
];

export interface TransitionActor {
  role: DossierRole;
  userId?: string;
}

export interface TransitionInput {
  reason?: string;
  /** Whether the procedure's result must be digitally signed (from the dossier's procedure snapshot). */
  requiresSignature?: boolean;
  /** Set once `signature.completed.v1` for this dossier's result has been consumed. */
  signatureCompleted?: boolean;
}

export type TransitionErrorCode =
  | 'unknown-action'
  | 'not-allowed-from-status'
  | 'role-not-permitted'
  | 'reason-required'
  | 'signature-not-completed';

export type TransitionPlan =
  | {
      ok: true;
      action: DossierAction;
      from: DossierStatusOrNew;
      to: DossierStatus;
      statusChanged: boolean;
      eventTypes: readonly DossierEventType[];
      reason?: string;
    }
  | { ok: false; code: TransitionErrorCode; message: string };

const rulesByAction = new Map<DossierAction, TransitionRule[]>();
for (const rule of DOSSIER_TRANSITIONS) {
  rulesByAction.set(rule.action, [...(rulesByAction.get(rule.action) ?? []), rule]);
}

export function isDossierAction(value: string): value is DossierAction {
  return (DOSSIER_ACTIONS as readonly string[]).includes(value);
}

/** The rule for an action from a status, if the action is possible there at all. */
export function transitionRuleFor(
  current: DossierStatusOrNew,
  action: DossierAction,
): TransitionRule | undefined {
  return rulesByAction.get(action)?.find((rule) => rule.from.includes(current));
}

/** Actions possible from a status for a role (for UIs and for the API's 409 explanations). */
export function allowedActions(current: DossierStatusOrNew, role: DossierRole): DossierAction[] {
  return DOSSIER_ACTIONS.filter((action) => transitionRuleFor(current, action)?.roles.includes(role));
}

/**
 * Decide a transition without side effects. Checks, in order: the action exists and is possible from
 * the current status (409 in the API), the actor's role (403), the reason (400), the signature rule (409).
 */
export function planTransition(
  current: DossierStatusOrNew,
  action: string,
  actor: TransitionActor,
  input: TransitionInput = {},
): TransitionPlan {
  if (!isDossierAction(action))
    return { ok: false, code: 'unknown-action', message: `unknown action: ${action}` };
  const rule = transitionRuleFor(current, action);
  const label = current ?? '(new)';
  if (!rule) {
    return {
      ok: false,
      code: 'not-allowed-from-status',
      message: `${action} is not allowed from status ${label}`,
    };
  }
  if (!rule.roles.includes(actor.role)) {
    return {
      ok: false,
      code: 'role-not-permitted',
      message: `${action} from ${label} is not permitted for role ${actor.role} (permitted: ${rule.roles.join(', ')})`,
    };
  }
  const reason = input.reason?.trim();
  if (rule.reasonRequired && !reason) {
    return { ok: false, code: 'reason-required', message: `${action} requires a reason` };
  }
  if (rule.requiresCompletedSignatureWhenSigned && input.requiresSignature && !input.signatureCompleted) {
    return {
      ok: false,
      code: 'signature-not-completed',
      message:
        'the result must be digitally signed; it can be returned once signature.completed has been received',
    };
  }
  const to = rule.to === 'unchanged' ? (current as DossierStatus) : rule.to;
  return {
    ok: true,
    action,
    from: current,
    to,
    statusChanged: rule.to !== 'unchanged',
    eventTypes: rule.events,
    ...(reason ? { reason } : {}),
  };
}

export interface OverdueView {
  status: DossierStatus;
  /** Statutory due date, moved by pauses (not by an apology's promised date). */
  dueAt?: Date | null;
  /** When the current supplement request stopped the clock. */
  pausedAt?: Date | null;
}

/**
 * Overdue = open (received … awaiting payment) and past the due date. While a supplement is awaited
 * the clock stands still at `pausedAt`, so a dossier cannot become overdue during the pause. An
 * apology's new date does not clear it: the dossier stays late for the on-time KPI.
 */
export function isOverdue(dossier: OverdueView, now: Date): boolean {
  if (!(OPEN_DOSSIER_STATUSES as readonly string[]).includes(dossier.status) || !dossier.dueAt) return false;
  const clock =
    dossier.status === 'supplement-requested' &&
    dossier.pausedAt &&
    dossier.pausedAt.getTime() < now.getTime()
      ? dossier.pausedAt
      : now;
  return clock.getTime() > dossier.dueAt.getTime();
}

/** Whether an action is a derived notice (see TransitionRule.derivedNotice). */
export function isDerivedNotice(action: DossierAction): boolean {
  return rulesByAction.get(action)?.some((rule) => rule.derivedNotice === true) ?? false;
}

export interface SignedResultView {
  status: DossierStatus;
  /** The result the dossier was resolved with. */
  resultDocumentSha256: string | null;
  /** The document the recorded signature is over (null: no signature recorded). */
  signedDocumentSha256: string | null;
  signatureCompletedAt: Date | null;
}

/**
 * Whether the signature the dossier holds is over the result it was resolved with. A signature is
 * recorded only for that result (signatureRecordRefusal) and cleared when the result changes; this
 * is checked again when the result is handed over, so a signature over another document never
 * counts.
 */
export function hasSignedResult(dossier: Omit<SignedResultView, 'status'>): boolean {
  return (
    dossier.signatureCompletedAt !== null &&
    dossier.resultDocumentSha256 !== null &&
    dossier.signedDocumentSha256 === dossier.resultDocumentSha256
  );
}

/**
 * Whether the signed result exists as a document: when the signature is embedded in the result
 * (PAdES, `signedResultSha256` known), its bytes must have been stored, so that the citizen can
 * download what is returned; a detached signature (no produced document) needs nothing more.
 */
export function hasSignedResultDocument(dossier: {
  signedResultSha256: string | null;
  signedResultStoredAt: Date | null;
}): boolean {
  return dossier.signedResultSha256 === null || dossier.signedResultStoredAt !== null;
}

/**
 * Why `signature.completed.v1` over `documentSha256` cannot be recorded for this dossier, or
 * undefined when it can: only a resolved dossier's result, and only the very document it was
 * resolved with (a signature that arrives before the result exists is not the result's).
 */
export function signatureRecordRefusal(
  dossier: SignedResultView,
  documentSha256: string,
): string | undefined {
  if (dossier.status !== 'resolved')
    return `the dossier is ${dossier.status}: only the result of a resolved dossier is signed`;
  if (dossier.resultDocumentSha256 !== documentSha256)
    return 'the signed document is not the result the dossier was resolved with';
  if (hasSignedResult(dossier)) return 'the signature of this result is already recorded';
  return undefined;
}

export function isTerminal(status: DossierStatus): boolean {
  return (TERMINAL_DOSSIER_STATUSES as readonly string[]).includes(status);
}
