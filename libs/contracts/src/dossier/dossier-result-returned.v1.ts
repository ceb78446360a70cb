import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.result-returned.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The result was handed or sent to the citizen; the dossier is closed.',
})
export class DossierResultReturnedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When the result was returned (UTC). */
  @IsUtcTimestamp()
  returnedAt!: string;

  /** The signature (UUIDv7) on the returned result, when it had to be signed. */
  @MayBeAbsent()
  @IsUuidV7()
  signatureId?: string;
}
