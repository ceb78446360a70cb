import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsPseudonym, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_LINES, type HotlineLine } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'call.received.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'call',
  description: 'A call reached the 1022 hotline.',
})
export class CallReceivedV1 {
  /** The call, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  callId!: string;

  /** The hotline number dialled. */
  @IsIn(HOTLINE_LINES)
  line!: HotlineLine;

  /** When the call was answered or queued (UTC). */
  @IsUtcTimestamp()
  receivedAt!: string;

  /** Keyed hash of the caller's phone number; never the number itself. */
  @IsPseudonym()
  callerPseudonym!: string;
}
