import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { SignatureReference } from './signature-reference';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'signature.timed-out.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'signature',
  description:
    'The signer did not approve within the allowed time; the request is void and may be made again.',
})
export class SignatureTimedOutV1 {
  /** The signature saga, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  signatureId!: string;

  /** What is signed. */
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureReference)
  reference!: SignatureReference;

  /** When the request was made (UTC). */
  @IsUtcTimestamp()
  requestedAt!: string;

  /** When the saga gave up (UTC). */
  @IsUtcTimestamp()
  timedOutAt!: string;
}
