import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.apology-issued.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The unit issued an apology letter (form 04) for a late dossier, with a new due date.',
})
export class DossierApologyIssuedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** When the letter was issued (UTC). */
  @IsUtcTimestamp()
  issuedAt!: string;

  /** The due date that was missed (UTC). */
  @IsUtcTimestamp()
  previousDueAt!: string;

  /** The new date promised to the citizen (UTC). */
  @IsUtcTimestamp()
  newDueAt!: string;

  /** Why the dossier is late, as written in the letter; no personal data. */
  @IsText()
  reason!: string;
}
