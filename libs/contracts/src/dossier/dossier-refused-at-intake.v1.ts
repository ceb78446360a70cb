import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsDossierCode, IsProcedureCode, IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { DOSSIER_CHANNELS, type DossierChannel } from './enums';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.refused-at-intake.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'The unit refused to receive a dossier (incomplete or not within its competence); no deadline starts.',
})
export class DossierRefusedAtIntakeV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** `<agency id>-<yyMMdd>-<nnnn>`, identical on every channel. */
  @IsDossierCode()
  dossierCode!: string;

  /** National procedure code, e.g. `2.000635`. */
  @IsProcedureCode()
  procedureCode!: string;

  /** The channel the refused dossier came through. */
  @IsIn(DOSSIER_CHANNELS)
  channel!: DossierChannel;

  /** When the unit refused it (UTC). */
  @IsUtcTimestamp()
  refusedAt!: string;

  /** Why, as told to the citizen; no personal data. */
  @IsText()
  reason!: string;
}
