import { EventType } from '../envelope/event-type';
import { IsPseudonym, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'app-account.registered.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'app-account',
  description: 'A citizen registered an iHanoi app account.',
})
export class AppAccountRegisteredV1 {
  /** The account, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  accountId!: string;

  /** When it was registered (UTC). */
  @IsUtcTimestamp()
  registeredAt!: string;

  /** Keyed hash of the account holder's identity; the same pseudonym as on their reports. */
  @IsPseudonym()
  accountPseudonym!: string;
}
