import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBase64, IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UNIT_CODE_PATTERN } from '@backbone/contracts';

export class ValidationQuery {
  /** Keep the report (GET /validations/:id later). */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  store?: boolean;

  /** The unit the stored report belongs to (one the caller serves); default the caller's first unit. */
  @ApiPropertyOptional({ example: '00070' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN)
  unitCode?: string;
}

/** A file and its detached CAdES signature (application/vnd.backbone.detached-signature+json). */
export class DetachedSignatureDto {
  /** The signed file, base64 (at most SIGNING_MAX_DOCUMENT_BYTES once decoded). */
  @ApiProperty({ format: 'byte' })
  @IsString()
  @MinLength(1)
  @MaxLength(140 * 1024 * 1024)
  @IsBase64()
  document!: string;

  /** The CMS SignedData (.p7s, DER), base64. */
  @ApiProperty({ format: 'byte' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024 * 1024)
  @IsBase64()
  signature!: string;
}
