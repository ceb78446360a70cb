import { EventType } from '../envelope/event-type';
import { IsDossierCode, IsProcedureCode, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.overdue.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'A dossier passed its due date unresolved (derived, not a status); an apology letter is now required.',
})
export class DossierOverdueV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** `<agency id>-<yyMMdd>-<nnnn>`, identical on every channel. */
  @IsDossierCode()
  dossierCode!: string;

  /** National procedure code, e.g. `2.000635`. */
  @IsProcedureCode()
  procedureCode!: string;

  /** The due date that was missed (UTC). */
  @IsUtcTimestamp()
  dueAt!: string;

  /** When the deadline check noticed it (UTC). */
  @IsUtcTimestamp()
  detectedAt!: string;
}
