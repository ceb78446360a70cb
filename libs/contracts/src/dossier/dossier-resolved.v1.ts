import { IsBoolean, IsIn, ValidateIf } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { SchemaHint } from '../shared/schema-hint';
import {
  IsCount,
  IsDossierCode,
  IsProcedureCode,
  IsSha256Hex,
  IsUtcTimestamp,
  IsUuidV7,
} from '../shared/validators';
import { DOSSIER_CHANNELS, type DossierChannel } from './enums';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.resolved.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description:
    'The unit resolved the dossier; carries what the on-time KPI needs without reading other events.',
})
// The conditional requirement lives in validation (ValidateIf) and, for schema readers, here.
@SchemaHint({
  if: { properties: { requiresSignature: { const: true } }, required: ['requiresSignature'] },
  then: { required: ['resultDocumentSha256'] },
})
export class DossierResolvedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** `<agency id>-<yyMMdd>-<nnnn>`, identical on every channel. */
  @IsDossierCode()
  dossierCode!: string;

  /** National procedure code, e.g. `2.000635`. */
  @IsProcedureCode()
  procedureCode!: string;

  /** How the dossier reached the unit (KPI: online share). */
  @IsIn(DOSSIER_CHANNELS)
  channel!: DossierChannel;

  /** When the unit received the dossier (UTC). */
  @IsUtcTimestamp()
  receivedAt!: string;

  /** When it was resolved (UTC). */
  @IsUtcTimestamp()
  resolvedAt!: string;

  /** The due date in force at resolution, after pauses and apologies (UTC). */
  @IsUtcTimestamp()
  dueAt!: string;

  /** Resolved by the due date (KPI: on-time rate). */
  @IsBoolean()
  onTime!: boolean;

  /** Working minutes from reception to resolution, pauses excluded. */
  @IsCount(0)
  workingMinutesTaken!: number;

  /** Whether the result must be digitally signed before it is returned. */
  @IsBoolean()
  requiresSignature!: boolean;

  /** SHA-256 (hex) of the result document to be signed; required when `requiresSignature`. */
  @ValidateIf(
    (event: DossierResolvedV1) =>
      event.requiresSignature === true || event.resultDocumentSha256 !== undefined,
  )
  @IsSha256Hex()
  resultDocumentSha256?: string;
}
