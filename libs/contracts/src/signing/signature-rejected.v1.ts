import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
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

  /** When it was rejected (UTC). */
  @IsUtcTimestamp()
  rejectedAt!: string;

  /** Why, as given by the signer or the service; no personal data. */
  @IsText()
  reason!: string;
}
