import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_CATEGORIES, type ReportCategory } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'call.inquiry-answered.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'call',
  description: 'A hotline agent answered the caller’s inquiry on the call (no report was needed).',
})
export class CallInquiryAnsweredV1 {
  /** The call, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  callId!: string;

  /** When the answer was recorded (UTC). */
  @IsUtcTimestamp()
  answeredAt!: string;

  /** What the inquiry was about. */
  @IsIn(REPORT_CATEGORIES)
  category!: ReportCategory;

  /** The agent's account (UUIDv7), when the account id is one. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
