import { EventType } from '../envelope/event-type';
import { IsCount, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.supplement-provided.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'The citizen provided the requested supplement; the deadline clock resumes with a new due date.',
})
export class DossierSupplementProvidedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When the supplement was received (UTC); the clock resumes from here. */
  @IsUtcTimestamp()
  providedAt!: string;

  /** Working minutes the clock was paused for this request. */
  @IsCount(0)
  pausedWorkingMinutes!: number;

  /** The due date moved by the pause (UTC). */
  @IsUtcTimestamp()
  newDueAt!: string;
}
