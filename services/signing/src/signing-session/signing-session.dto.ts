import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBase64,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  MinLength,
  IsUUID,
} from 'class-validator';

/** Base64 of the largest document SIGNING_SESSION_MAX_DOCUMENT_BYTES allows (50 MB); the configured limit is checked after. */
const MAX_BASE64_LENGTH = Math.ceil(50_000_000 / 3) * 4;

export class StartSigningSessionDto {
  /** The task's PDF (from the dossier service), base64: its SHA-256 must be the task's. */
  @ApiProperty({ format: 'byte' })
  @IsString()
  @MinLength(8)
  @MaxLength(MAX_BASE64_LENGTH)
  @IsBase64()
  contentBase64!: string;

  /** One of the signer's own certificates (default: their active one for the task's unit). */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  certificateId?: string;

  /** A visible signature stamp on the first page (default: invisible). */
  @IsOptional()
  @IsBoolean()
  visible?: boolean;
}

export class ConfirmSigningSessionDto {
  /** The 6-digit code of the signer's authenticator app (TOTP, RFC 6238). */
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of your authenticator app' })
  code!: string;
}

/** Sessions one code confirms at most: a signer's queue of results, not the whole unit's backlog. */
export const MAX_SESSIONS_PER_CONFIRMATION = 50;

export class ConfirmSigningSessionsDto {
  /** The signer's own pending sessions to sign with this one code (1 to 50, each once). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SESSIONS_PER_CONFIRMATION)
  @ArrayUnique()
  @IsUUID('7', { each: true, message: 'must hold signing session ids (UUIDv7)' })
  sessionIds!: string[];

  /** The 6-digit code of the signer's authenticator app (TOTP, RFC 6238). */
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of your authenticator app' })
  code!: string;
}

export class RejectSigningSessionDto {
  /** Why the result is not signed, for the specialist who prepares it again; no personal data. */
  @IsString()
  @Length(3, 500)
  reason!: string;
}
