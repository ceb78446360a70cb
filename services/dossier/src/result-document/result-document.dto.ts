import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

/** Base64 of at most RESULT_DOCUMENT_MAX_BYTES' upper bound (50 MB): the configured limit is checked after decoding. */
const MAX_BASE64_LENGTH = Math.ceil(50_000_000 / 3) * 4;

export class ResultDocumentDto {
  /** The whole PDF, base64 (RFC 4648 §4); at most RESULT_DOCUMENT_MAX_BYTES once decoded. */
  @ApiProperty({ format: 'byte' })
  @IsString()
  @MinLength(8)
  @MaxLength(MAX_BASE64_LENGTH)
  @IsBase64()
  contentBase64!: string;
}

export class UploadResultDocumentDto extends ResultDocumentDto {
  /** The version the caller last saw (or send `If-Match: "<version>"`); a stale one gets 409. */
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
