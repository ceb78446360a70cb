import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { UNIT_CODE_PATTERN } from '@backbone/contracts';

/** Query of the signing routes (the body is the document itself). */
export class SignDocumentQuery {
  /** The unit the document belongs to; the caller must serve it and hold a certificate for it. */
  @ApiProperty({ example: '00070' })
  @Matches(UNIT_CODE_PATTERN)
  unitCode!: string;

  /** One of the caller's certificates (default: their active one for the unit). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID(7)
  certificateId?: string;

  /** PAdES: draw a visible stamp on the first page. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  visible?: boolean;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  location?: string;
}

/** What a signing route answers: the signature's evidence and where its document is. */
export interface SignatureCreated {
  signatureId: string;
  format: 'PAdES' | 'CAdES' | 'JWS';
  documentSha256: string;
  signedDocumentSha256: string;
  certificateSerial: string;
  certificateIssuer: string;
  signedAt: string;
  timestampedAt: string | null;
  /** GET it for the signed PDF, the .p7s or the JWS. */
  signedDocumentUrl: string;
}
