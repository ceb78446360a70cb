// class-transformer's @Type reads design-time types through the Reflect metadata API.
import 'reflect-metadata';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsUuidV7, MayBeAbsent } from '../shared/validators';
import { SIGNATURE_REFERENCE_KINDS, type SignatureReferenceKind } from './enums';

/** What a signature is over, so that the requesting service can match the outcome to its record. */
export class SignatureReference {
  /** `dossier-result` for a dossier's result document, `document` for anything else. */
  @IsIn(SIGNATURE_REFERENCE_KINDS)
  kind!: SignatureReferenceKind;

  /** The referenced record (UUIDv7), e.g. the dossier id for `dossier-result`. */
  @IsUuidV7()
  id!: string;

  /** A human-readable code of the record, e.g. the dossier code. */
  @MayBeAbsent()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  code?: string;
}
