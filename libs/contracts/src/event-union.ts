import { AUDIT_EVENT_CLASSES, type AuditEvent } from './audit/audit-event-union';
import { DOSSIER_EVENT_CLASSES, type DossierEvent } from './dossier/dossier-event-union';
import { HOTLINE_EVENT_CLASSES, type HotlineEvent } from './hotline/hotline-event-union';
import { PARTY_FEE_EVENT_CLASSES, type PartyFeeEvent } from './party-fee/party-fee-event-union';
import { SIGNING_EVENT_CLASSES, type SigningEvent } from './signing/signing-event-union';

/** Every event of the catalogue, type → data class: the producers' maps merged. */
export const EVENT_CLASSES_BY_TYPE = {
  ...DOSSIER_EVENT_CLASSES,
  ...SIGNING_EVENT_CLASSES,
  ...HOTLINE_EVENT_CLASSES,
  ...PARTY_FEE_EVENT_CLASSES,
  ...AUDIT_EVENT_CLASSES,
} as const;

/** Any event of the catalogue, discriminated by `type`. */
export type BackboneEvent = DossierEvent | SigningEvent | HotlineEvent | PartyFeeEvent | AuditEvent;

/** Every event type of the catalogue, e.g. `'signature.completed.v1'`. */
export type BackboneEventType = BackboneEvent['type'];

/**
 * The event of one type (or of a union of types), e.g. `@Payload() event: EventOf<'signature.completed.v1'>`:
 * `event.data` is then `SignatureCompletedV1`, no cast.
 */
export type EventOf<T extends BackboneEventType> = Extract<BackboneEvent, { type: T }>;

/** The data class of one event type: `DataOf<'dossier.received.v1'>` is `DossierReceivedV1`. */
export type DataOf<T extends BackboneEventType> = EventOf<T>['data'];
