import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.processing-started.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The responsible officer started processing a received dossier.',
})
export class DossierProcessingStartedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When processing started (UTC). */
  @IsUtcTimestamp()
  startedAt!: string;
}
