import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'signing-item.recorded.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'signing-item',
  description: 'The signing service recorded an item (the sample event of a generated service).',
})
export class SigningItemRecordedV1 {
  /** The item (UUIDv7); the subject and Kafka key of its events, so one item's events stay in order. */
  @IsUuidV7()
  itemId!: string;

  /** When the item was recorded (UTC). */
  @IsUtcTimestamp()
  recordedAt!: string;
}
