import type { FeePaymentChannel } from '@backbone/contracts';
import { IsBoundedInstant } from '@backbone/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  ApplicantDto,
  ApplicantField,
  AttachmentDto,
  AttachmentsField,
  ProcedureCodeField,
  UnitCodeField,
} from '../request-fields/applicant.dto';
import {
  AmountVndField,
  NewDueAtField,
  PaymentChannelField,
  ReasonField,
  ResultDocumentSha256Field,
  type TransitionDetails,
} from '../request-fields/transition-details.dto';

/**
 * What may follow the receipt in an imported history. Submission and receipt are given by
 * `submittedAt`/`receivedAt`; overdue notices are not imported (the overdue scanner reports an
 * imported open dossier that is past due, once, like any other).
 */
export const IMPORTABLE_ACTIONS = [
  'start-processing',
  'request-supplement',
  'provide-supplement',
  'request-payment',
  'record-payment',
  'record-payment-and-resolve',
  'resolve',
  'return-result',
  'withdraw',
  'stop',
  'issue-apology',
] as const;
export type ImportableAction = (typeof IMPORTABLE_ACTIONS)[number];

export const IMPORT_CHANNELS = ['direct', 'postal', 'agent', 'online'] as const;

export class ImportedTransitionDto implements TransitionDetails {
  @IsIn(IMPORTABLE_ACTIONS)
  action!: ImportableAction;

  /** When it happened in the source system (UTC ISO-8601). */
  @IsBoundedInstant()
  at!: string;

  @ReasonField()
  reason?: string;

  @AmountVndField()
  amountVnd?: number;

  @PaymentChannelField()
  paymentChannel?: FeePaymentChannel;

  @ResultDocumentSha256Field()
  resultDocumentSha256?: string;

  /** issue-apology (form 04): the date promised then, after `at`. */
  @NewDueAtField()
  newDueAt?: string;

  /** The source system's user who acted (kept in the history; events name no one). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;
}

/** One dossier of a dissolved district-level system, with its history. */
export class ImportDossierDto {
  /** The source system, e.g. `motcua-quan-hoan-kiem`. */
  @Matches(/^[a-z0-9][a-z0-9._-]{0,99}$/, {
    message: 'must be a lower-case system id such as motcua-quan-ba-dinh',
  })
  sourceSystem!: string;

  /** The dossier's id or code in the source system (provenance, kept in the history). */
  @IsString()
  @Length(1, 200)
  sourceReference!: string;

  @UnitCodeField()
  unitCode!: string;

  @ProcedureCodeField()
  procedureCode!: string;

  @IsIn(IMPORT_CHANNELS)
  channel!: (typeof IMPORT_CHANNELS)[number];

  // The same applicant and attachment rules as the intake's: they fill the same columns. Should the
  // import's contract ever need to differ (it serves the migration tools, not the desks), give it
  // its own field rule here rather than changing the shared one.
  @ApplicantField()
  applicant!: ApplicantDto;

  @AttachmentsField()
  attachments?: AttachmentDto[];

  @IsOptional()
  @IsBoolean()
  digitised?: boolean;

  /** Online only: when the portal submission arrived (at or before `receivedAt`). */
  @IsOptional()
  @IsBoundedInstant()
  submittedAt?: string;

  /** When the unit received the dossier; in the past. The due date is computed from it. */
  @IsBoundedInstant()
  receivedAt!: string;

  /** What happened after receipt, in time order. */
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ImportedTransitionDto)
  transitions!: ImportedTransitionDto[];
}

/** Most dossiers in one batch: well inside the 1 MiB body limit (a dossier with its history is ~1 KB). */
export const MAX_DOSSIERS_PER_IMPORT_BATCH = 500;

/** Many historical dossiers at once, imported all or none. */
export class ImportDossierBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DOSSIERS_PER_IMPORT_BATCH)
  @ValidateNested({ each: true })
  @Type(() => ImportDossierDto)
  dossiers!: ImportDossierDto[];
}
