// Event types this service publishes on dossier.events.v1 (names agreed in the team's event
// catalogue; the payload classes live in @backbone/contracts) and the one it consumes.
export const DOSSIER_EVENTS_TOPIC = 'dossier.events.v1';

export const DOSSIER_EVENT_TYPES = [
  'dossier.submitted-online.v1',
  'dossier.received.v1',
  'dossier.refused-at-intake.v1',
  'dossier.processing-started.v1',
  'dossier.supplement-requested.v1',
  'dossier.supplement-provided.v1',
  'dossier.payment-requested.v1',
  'dossier.fee-paid.v1',
  'dossier.resolved.v1',
  'dossier.result-returned.v1',
  'dossier.withdrawn.v1',
  'dossier.stopped.v1',
  'dossier.overdue.v1',
  'dossier.apology-issued.v1',
] as const;
export type DossierEventType = (typeof DOSSIER_EVENT_TYPES)[number];

/** Consumed from signing.events.v1: a dossier whose result must be signed is returned only after it. */
export const CONSUMED_EVENT_TYPES = ['signature.completed.v1'] as const;
