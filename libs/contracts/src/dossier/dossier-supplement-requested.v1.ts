import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.supplement-requested.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The unit asked the citizen to supplement the dossier (form 02); the deadline clock pauses.',
})
export class DossierSupplementRequestedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When the request was issued (UTC); the clock pauses from here. */
  @IsUtcTimestamp()
  requestedAt!: string;

  /** What is missing, as told to the citizen; no personal data. */
  @IsText()
  reason!: string;
}
