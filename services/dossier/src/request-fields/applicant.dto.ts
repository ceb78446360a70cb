import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { stackedDecorators } from './stacked-decorators';

// What a new dossier is made of, in every way one arrives: at the desk, from the national portal,
// and from the migration tools of the dissolved district systems (the import). These fields end in
// the same columns (the applicant's as ciphertexts), so they are validated by the same rules.

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

// Field decorators rather than a base class: class-validator reports a subclass's own fields before
// the inherited ones, so a base class would reorder the errors of a request with several problems.

/** The receiving unit (agency id of the dossier code): `00070`, `SO-TP`. */
export const UnitCodeField = (): PropertyDecorator =>
  Matches(/^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/, { message: 'must be a unit code such as 00070 or SO-TP' });

/** A national procedure code (`1.001193`) or a city one (`HN-…`). */
export const ProcedureCodeField = (): PropertyDecorator =>
  Matches(/^(?:\d\.\d{6}|[A-Z]{2}(?:-[A-Z0-9]+)+)$/, {
    message: 'must be a procedure code such as 1.001193',
  });

export const ApplicantField = (): PropertyDecorator =>
  stackedDecorators(
    ValidateNested(),
    Type(() => ApplicantDto),
  );

export const AttachmentsField = (): PropertyDecorator =>
  stackedDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    ValidateNested({ each: true }),
    Type(() => AttachmentDto),
  );
