/**
 * The `type` of every dossier event on `dossier.events.v1` (the topic also carries the official calendar's), as a literal union the dossier service's state
 * machine is typed with. `dossier-event-types.spec.ts` checks it equals the registered classes.
 */
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
  'dossier.result-rejected.v1',
] as const;
export type DossierEventType = (typeof DOSSIER_EVENT_TYPES)[number];
