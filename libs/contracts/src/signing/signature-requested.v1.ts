import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, ValidateNested } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsSha256Hex, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { HASH_ALGORITHMS, SIGNATURE_FORMATS, type HashAlgorithm, type SignatureFormat } from './enums';
import { SignatureReference } from './signature-reference';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'signature.requested.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'signature',
  description: 'A document was submitted for remote signing; the signer has about 120 s to approve.',
})
export class SignatureRequestedV1 {
  /** The signature saga, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  signatureId!: string;

  /** What is signed. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureReference)
  reference!: SignatureReference;

  /** SHA-256 (hex) of the whole document: its identity across services, whatever `hashAlgorithm` is. */
  @IsSha256Hex()
  documentSha256!: string;

  /** Digest algorithm to use inside the signature. */
  @IsIn(HASH_ALGORITHMS)
  hashAlgorithm!: HashAlgorithm;

  /** Signature format for the document type. */
  @IsIn(SIGNATURE_FORMATS)
  format!: SignatureFormat;

  /** Staff user (UUIDv7) asked to sign. */
  @IsUuidV7()
  signerId!: string;

  /** When the request was made (UTC); the timeout counts from here. */
  @IsUtcTimestamp()
  requestedAt!: string;

  /** When the request times out unless the signer has confirmed it (UTC). */
  @MayBeAbsent()
  @IsUtcTimestamp()
  expiresAt?: string;
}
