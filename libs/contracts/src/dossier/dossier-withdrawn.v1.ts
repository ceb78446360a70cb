import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.withdrawn.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The citizen withdrew the dossier; processing ends.',
})
export class DossierWithdrawnV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When the withdrawal was recorded (UTC). */
  @IsUtcTimestamp()
  withdrawnAt!: string;

  /** Why, as recorded by staff; no personal data. */
  @IsText()
  reason!: string;
}
