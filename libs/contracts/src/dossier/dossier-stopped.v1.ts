import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.stopped.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The unit stopped processing the dossier (e.g. supplement never provided); processing ends.',
})
export class DossierStoppedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When processing was stopped (UTC). */
  @IsUtcTimestamp()
  stoppedAt!: string;

  /** Why, as told to the citizen; no personal data. */
  @IsText()
  reason!: string;
}
