import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsDossierCode, IsProcedureCode, IsPseudonym, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { SUBMISSION_ONLINE_LEVELS, type SubmissionOnlineLevel } from './enums';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.submitted-online.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'A citizen filed a dossier on the public-service portal; it awaits acceptance by the unit.',
})
export class DossierSubmittedOnlineV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** `<agency id>-<yyMMdd>-<nnnn>`, identical on every channel. */
  @IsDossierCode()
  dossierCode!: string;

  /** National procedure code, e.g. `2.000635`. */
  @IsProcedureCode()
  procedureCode!: string;

  /** Fully online (toàn trình) or partly online (một phần). */
  @IsIn(SUBMISSION_ONLINE_LEVELS)
  onlineLevel!: SubmissionOnlineLevel;

  /** When the portal accepted the submission (UTC). */
  @IsUtcTimestamp()
  submittedAt!: string;

  /** Keyed hash of the applicant's identity; never the identity itself. */
  @IsPseudonym()
  applicantPseudonym!: string;
}
