/**
 * Every counter the projections keep, per unit and day, with what its three dimension columns
 * (`dim1`, `dim2`, `dim3`) hold. One narrow table with generic dimensions, rather than one wide
 * table per producer, so that a new event kind adds names here, not a migration (ADR 0006).
 * An unused dimension is the empty string, never NULL, so that it can be part of the key.
 */
export const METRICS = {
  // dossier.events.v1
  dossierSubmittedOnline: { name: 'dossier.submitted-online', dims: ['online_level', 'procedure_code', ''] },
  dossierReceived: { name: 'dossier.received', dims: ['channel', 'online_level', 'procedure_code'] },
  dossierDigitised: { name: 'dossier.digitised', dims: ['channel', 'online_level', 'procedure_code'] },
  dossierRefused: { name: 'dossier.refused-at-intake', dims: ['channel', 'procedure_code', ''] },
  dossierResolved: { name: 'dossier.resolved', dims: ['channel', 'timeliness', 'procedure_code'] },
  /** Sum of working minutes from reception to resolution (count = dossier.resolved). */
  dossierResolveMinutes: {
    name: 'dossier.resolve-minutes',
    dims: ['channel', 'timeliness', 'procedure_code'],
  },
  /** Histogram of working minutes to resolve: dim1 = bucket index (resolution-time-histogram.ts). */
  dossierResolveMinutesBucket: { name: 'dossier.resolve-minutes-bucket', dims: ['bucket', '', ''] },
  dossierReturned: { name: 'dossier.result-returned', dims: ['', '', ''] },
  dossierWithdrawn: { name: 'dossier.withdrawn', dims: ['', '', ''] },
  dossierStopped: { name: 'dossier.stopped', dims: ['', '', ''] },
  dossierOverdue: { name: 'dossier.overdue', dims: ['procedure_code', '', ''] },
  dossierSupplementRequested: { name: 'dossier.supplement-requested', dims: ['', '', ''] },
  dossierApologyIssued: { name: 'dossier.apology-issued', dims: ['', '', ''] },
  dossierFeePaid: { name: 'dossier.fee-paid', dims: ['payment_channel', '', ''] },
  dossierFeePaidVnd: { name: 'dossier.fee-paid-vnd', dims: ['payment_channel', '', ''] },
  // signing.events.v1
  signatureRequested: { name: 'signature.requested', dims: ['format', 'reference_kind', ''] },
  signatureCompleted: { name: 'signature.completed', dims: ['format', 'reference_kind', ''] },
  signatureRejected: { name: 'signature.rejected', dims: ['reference_kind', '', ''] },
  signatureTimedOut: { name: 'signature.timed-out', dims: ['reference_kind', '', ''] },
  // hotline.events.v1
  callReceived: { name: 'call.received', dims: ['line', '', ''] },
  callEnded: { name: 'call.ended', dims: ['outcome', '', ''] },
  callDurationSeconds: { name: 'call.duration-seconds', dims: ['outcome', '', ''] },
  reportSubmitted: { name: 'report.submitted', dims: ['channel', 'category', 'level'] },
  reportAccepted: { name: 'report.accepted', dims: ['sla', '', ''] },
  reportAssigned: { name: 'report.assigned', dims: ['', '', ''] },
  reportAnswered: { name: 'report.answered', dims: ['sla', '', ''] },
  reportClosed: { name: 'report.closed', dims: ['rating', '', ''] },
  reportRejected: { name: 'report.rejected', dims: ['reason', '', ''] },
  reportReopened: { name: 'report.reopened', dims: ['', '', ''] },
  reportOverdue: { name: 'report.overdue', dims: ['stage', '', ''] },
  appAccountRegistered: { name: 'app-account.registered', dims: ['', '', ''] },
  // party-fee.events.v1
  partyMemberRegistered: { name: 'party-member.registered', dims: ['category', '', ''] },
  partyFeeAssessed: { name: 'party-fee.assessed', dims: ['', '', ''] },
  partyFeeAssessedVnd: { name: 'party-fee.assessed-vnd', dims: ['', '', ''] },
  partyFeePaid: { name: 'party-fee.paid', dims: ['channel', '', ''] },
  partyFeeReversed: { name: 'party-fee.payment-reversed', dims: ['', '', ''] },
  /** Net VND collected: payments add, reversals subtract (on the day of the reversal). */
  partyFeeCollectedVnd: { name: 'party-fee.collected-vnd', dims: ['channel', '', ''] },
} as const satisfies Record<string, { name: string; dims: readonly [string, string, string] }>;

export type MetricKey = keyof typeof METRICS;
export type MetricName = (typeof METRICS)[MetricKey]['name'];

export const METRIC_NAMES: readonly MetricName[] = Object.values(METRICS).map((metric) => metric.name);

/** `timeliness` dimension of dossier.resolved. */
export const ON_TIME = 'on-time';
export const LATE = 'late';
/** `sla` dimension of report.accepted / report.answered. */
export const WITHIN_SLA = 'within';
export const OUTSIDE_SLA = 'outside';
