import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ApplicantDto {
  @IsString()
  @Length(1, 200)
  fullName!: string;

  /** Checked further (province code, birth year) by checkNationalId in the handler. */
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

export class AttachmentDto {
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

const AGENCY_CODE = /^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/;
const PROCEDURE_CODE = /^(?:\d\.\d{6}|[A-Z]{2}(?:-[A-Z0-9]+)+)$/;

class IntakeBaseDto {
  @Matches(AGENCY_CODE, { message: 'must be a unit code such as 00070 or SO-TP' })
  unitCode!: string;

  @Matches(PROCEDURE_CODE, { message: 'must be a procedure code such as 1.001193' })
  procedureCode!: string;

  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

/** Intake at the desk by an officer: in person, by post, or through a public-service agent. */
export class ReceiveDossierDto extends IntakeBaseDto {
  @IsIn(['direct', 'postal', 'agent'])
  channel!: 'direct' | 'postal' | 'agent';

  /** Whether the documents were scanned at the desk (KPI: digitisation rate). */
  @IsOptional()
  @IsBoolean()
  digitised?: boolean;
}

/** A submission relayed by the national public-service portal; it awaits acceptance by the unit. */
export class SubmitOnlineDossierDto extends IntakeBaseDto {}
