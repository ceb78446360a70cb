// The event types this service publishes are the contracts' own list (one source of truth);
// it consumes the signing outcomes from signing.events.v1.
export { DOSSIER_EVENT_TYPES, DOSSIER_EVENTS_TOPIC, type DossierEventType } from '@backbone/contracts';

/** Consumed from signing.events.v1: a result that must be signed is returned only once signed; a rejection sends it back. */
export const CONSUMED_EVENT_TYPES = ['signature.completed.v1', 'signature.rejected.v1'] as const;
