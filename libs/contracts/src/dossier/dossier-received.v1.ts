import { IsBoolean, IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import {
  IsCount,
  IsDossierCode,
  IsProcedureCode,
  IsPseudonym,
  IsText,
  IsUtcTimestamp,
  IsUuidV7,
  IsVnd,
  MayBeAbsent,
} from '../shared/validators';
import {
  DOSSIER_CHANNELS,
  DOSSIER_ONLINE_LEVELS,
  PROCEDURE_LEVELS,
  type DossierChannel,
  type DossierOnlineLevel,
  type ProcedureLevel,
} from './enums';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.received.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'The unit received a complete dossier (at the desk, online, by post or via an agent); its deadline clock starts.',
})
export class DossierReceivedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** `<agency id>-<yyMMdd>-<nnnn>`, identical on every channel. */
  @IsDossierCode()
  dossierCode!: string;

  /** National procedure code, e.g. `2.000635`. */
  @IsProcedureCode()
  procedureCode!: string;

  /** Tier that resolves the procedure: commune/ward or city. */
  @IsIn(PROCEDURE_LEVELS)
  procedureLevel!: ProcedureLevel;

  /** The procedure's field (lĩnh vực), e.g. `Hộ tịch`. */
  @IsText(200)
  field!: string;

  /** How the dossier reached the unit. */
  @IsIn(DOSSIER_CHANNELS)
  channel!: DossierChannel;

  /** Online level of the procedure as filed; `none` when it is not offered online. */
  @IsIn(DOSSIER_ONLINE_LEVELS)
  onlineLevel!: DossierOnlineLevel;

  /** When the unit received the dossier (UTC); the deadline is counted from here. */
  @IsUtcTimestamp()
  receivedAt!: string;

  /** Statutory due date (UTC), computed in working hours under the rules in force at reception. */
  @IsUtcTimestamp()
  dueAt!: string;

  /** Statutory processing time in working hours (8 per working day). */
  @IsCount(0)
  statutoryWorkingHours!: number;

  /** Whether the dossier's documents were digitised at reception (KPI: digitisation rate). */
  @IsBoolean()
  digitised!: boolean;

  /** Fee due for the procedure, integer VND (0 when free). */
  @IsVnd(0)
  feeVnd!: number;

  /** Whether the result must be digitally signed before it is returned. */
  @IsBoolean()
  requiresSignature!: boolean;

  /** Keyed hash of the applicant's identity; never the identity itself. */
  @IsPseudonym()
  applicantPseudonym!: string;

  /** Staff user (UUIDv7) who received the dossier; absent for unattended online reception. */
  @MayBeAbsent()
  @IsUuidV7()
  receivedBy?: string;
}
