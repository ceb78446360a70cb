import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, Matches, ValidateNested } from 'class-validator';
import { EventType } from '../envelope/event-type';
import {
  IsSha256Hex,
  IsText,
  IsUtcTimestamp,
  IsUuidV7,
  MayBeAbsent,
  CERTIFICATE_SERIAL_PATTERN,
} from '../shared/validators';
import {
  HASH_ALGORITHMS,
  REVOCATION_STATUSES,
  SIGNATURE_FORMATS,
  type HashAlgorithm,
  type RevocationStatus,
  type SignatureFormat,
} from './enums';
import { SignatureReference } from './signature-reference';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'signature.completed.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'signature',
  description: 'The signer approved and the document was signed; carries what an auditor needs to verify it.',
})
export class SignatureCompletedV1 {
  /** The signature saga, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  signatureId!: string;

  /** What is signed. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureReference)
  reference!: SignatureReference;

  /** SHA-256 (hex) of the whole document that was signed. */
  @IsSha256Hex()
  documentSha256!: string;

  /**
   * SHA-256 (hex) of the document the signing produced when the signature is embedded in it (PAdES:
   * the signed PDF), so that whoever receives those bytes can check them; absent for detached
   * signatures (CAdES, JWS) and from producers that predate it.
   */
  @MayBeAbsent()
  @IsSha256Hex()
  producedDocumentSha256?: string;

  /** Digest algorithm used inside the signature. */
  @IsIn(HASH_ALGORITHMS)
  hashAlgorithm!: HashAlgorithm;

  /** JOSE-style signature algorithm name, e.g. `ES256`, `RS256`, `PS256`. */
  @Matches(/^[A-Za-z0-9-]{2,32}$/, { message: '$property must be an algorithm name such as ES256' })
  signatureAlgorithm!: string;

  /** Signature format produced. */
  @IsIn(SIGNATURE_FORMATS)
  format!: SignatureFormat;

  /** Serial number (hex) of the signer's certificate. */
  @Matches(CERTIFICATE_SERIAL_PATTERN, { message: '$property must be a hex certificate serial' })
  certificateSerial!: string;

  /** Issuer distinguished name of the signer's certificate (an authority, not a person). */
  @IsText(500)
  certificateIssuer!: string;

  /** Staff user (UUIDv7) who signed. */
  @IsUuidV7()
  signerId!: string;

  /** Revocation state of the certificate checked at signing time. */
  @IsIn(REVOCATION_STATUSES)
  revocationStatus!: RevocationStatus;

  /** Signing time (UTC), as in the signature's signed attributes. */
  @IsUtcTimestamp()
  signedAt!: string;
}
