import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'hotline-item.recorded.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'hotline-item',
  description: 'The hotline service recorded an item (the sample event of a generated service).',
})
export class HotlineItemRecordedV1 {
  /** The item (UUIDv7); the subject and Kafka key of its events, so one item's events stay in order. */
  @IsUuidV7()
  itemId!: string;

  /** When the item was recorded (UTC). */
  @IsUtcTimestamp()
  recordedAt!: string;
}
