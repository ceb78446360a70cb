import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-fee-item.recorded.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-fee-item',
  description: 'The party-fee service recorded an item (the sample event of a generated service).',
})
export class PartyFeeItemRecordedV1 {
  /** The item (UUIDv7); the subject and Kafka key of its events, so one item's events stay in order. */
  @IsUuidV7()
  itemId!: string;

  /** When the item was recorded (UTC). */
  @IsUtcTimestamp()
  recordedAt!: string;
}
