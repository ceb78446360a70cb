import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.result-rejected.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'The signer refused to sign the result (signature.rejected); the dossier is back in processing without a result.',
})
export class DossierResultRejectedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** The signature saga (UUIDv7) whose rejection sent the dossier back. */
  @IsUuidV7()
  signatureId!: string;

  /** When the dossier went back to processing (UTC). */
  @IsUtcTimestamp()
  rejectedAt!: string;

  /** The signer's reason, as the unit's staff read it; no personal data. */
  @IsText()
  reason!: string;
}
