import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { UNIT_CODE_PATTERN } from '@backbone/contracts';

/** No DN special characters in names: they would change the subject's structure. */
const NAME_PATTERN = /^[^,+="<>#;\\\p{Cc}]+$/u;

export class IssueCertificateDto {
  /** The staff user (UUIDv7, the token's `sub`) the certificate is for. */
  @ApiProperty({ example: '01981c8c-1800-731e-935e-5649ac28d26b' })
  @IsUUID(7)
  holderId!: string;

  /** The unit the holder signs for. */
  @ApiProperty({ example: '00070' })
  @Matches(UNIT_CODE_PATTERN)
  unitCode!: string;

  /** The holder's name as the certificate shows it (CN). */
  @ApiProperty({ example: 'Nguyễn Văn An', maxLength: 64 })
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  @Matches(NAME_PATTERN, { message: 'commonName must not contain , + = " < > # ; \\ or control characters' })
  commonName!: string;

  @ApiPropertyOptional({ example: 'Chủ tịch UBND phường', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  @Matches(NAME_PATTERN, { message: 'title must not contain , + = " < > # ; \\ or control characters' })
  title?: string;

  /** Validity in days (default SIGNING_CERTIFICATE_VALIDITY_DAYS; never beyond the issuing CA). */
  @ApiPropertyOptional({ minimum: 1, maximum: 1825, example: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1825)
  validityDays?: number;
}
