// The event types this service publishes are the contracts' own list (one source of truth);
// it consumes one type from signing.events.v1.
export { DOSSIER_EVENT_TYPES, DOSSIER_EVENTS_TOPIC, type DossierEventType } from '@backbone/contracts';

/** Consumed from signing.events.v1: a dossier whose result must be signed is returned only after it. */
export const CONSUMED_EVENT_TYPES = ['signature.completed.v1'] as const;
