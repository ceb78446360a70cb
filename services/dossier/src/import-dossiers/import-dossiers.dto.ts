import { FEE_PAYMENT_CHANNELS, type FeePaymentChannel } from '@backbone/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

// The applicant and attachment shapes repeat the intake's on purpose: an import is a separate
// contract (the migration tools of the dissolved district systems), and it must not change when the
// desk intake's request evolves.
export class ImportedApplicantDto {
  @IsString()
  @Length(1, 200)
  fullName!: string;

  @Matches(/^\d{12}$/, { message: 'must be a 12-digit national ID' })
  nationalId!: string;

  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'must be a phone number of 9 to 15 digits' })
  phone?: string;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;
}

export class ImportedAttachmentDto {
  @IsString()
  @Length(1, 255)
  name!: string;

  @Matches(/^[a-z]+\/[a-z0-9.+-]+$/i, { message: 'must be a media type such as application/pdf' })
  mediaType!: string;

  @IsInt()
  @Min(0)
  @Max(100 * 1024 * 1024)
  sizeBytes!: number;

  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest in lower-case hex' })
  sha256!: string;
}

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

export class ImportedTransitionDto {
  @IsIn(IMPORTABLE_ACTIONS)
  action!: ImportableAction;

  /** When it happened in the source system (UTC ISO-8601). */
  @IsISO8601({ strict: true })
  at!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  amountVnd?: number;

  @IsOptional()
  @IsIn(FEE_PAYMENT_CHANNELS)
  paymentChannel?: FeePaymentChannel;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest in lower-case hex' })
  resultDocumentSha256?: string;

  /** issue-apology (form 04): the date promised then, after `at`. */
  @IsOptional()
  @IsISO8601({ strict: true })
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

  @Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/, { message: 'must be a unit code such as 00070 or SO-TP' })
  unitCode!: string;

  @Matches(/^(?:\d\.\d{6}|[A-Z]{2}(?:-[A-Z0-9]+)+)$/, {
    message: 'must be a procedure code such as 1.001193',
  })
  procedureCode!: string;

  @IsIn(IMPORT_CHANNELS)
  channel!: (typeof IMPORT_CHANNELS)[number];

  @ValidateNested()
  @Type(() => ImportedApplicantDto)
  applicant!: ImportedApplicantDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ImportedAttachmentDto)
  attachments?: ImportedAttachmentDto[];

  @IsOptional()
  @IsBoolean()
  digitised?: boolean;

  /** Online only: when the portal submission arrived (at or before `receivedAt`). */
  @IsOptional()
  @IsISO8601({ strict: true })
  submittedAt?: string;

  /** When the unit received the dossier; in the past. The due date is computed from it. */
  @IsISO8601({ strict: true })
  receivedAt!: string;

  /** What happened after receipt, in time order. */
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ImportedTransitionDto)
  transitions!: ImportedTransitionDto[];
}
