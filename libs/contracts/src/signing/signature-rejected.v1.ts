import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsSha256Hex, IsText, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { SignatureReference } from './signature-reference';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'signature.rejected.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'signature',
  description: 'The signer declined, or the signing service refused the request (e.g. revoked certificate).',
})
export class SignatureRejectedV1 {
  /** The signature saga, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  signatureId!: string;

  /** What is signed. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureReference)
  reference!: SignatureReference;

  /**
   * SHA-256 (hex) of the document that was not signed, so the requesting service can tell it is
   * still its current one; absent from producers that predate it.
   */
  @MayBeAbsent()
  @IsSha256Hex()
  documentSha256?: string;

  /** When it was rejected (UTC). */
  @IsUtcTimestamp()
  rejectedAt!: string;

  /** Why, as given by the signer or the service; no personal data. */
  @IsText()
  reason!: string;
}
