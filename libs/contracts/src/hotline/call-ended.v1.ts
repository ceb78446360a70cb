import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsCount, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { CALL_OUTCOMES, type CallOutcome } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'call.ended.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'call',
  description: 'A hotline call ended, with what came of it.',
})
export class CallEndedV1 {
  /** The call, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  callId!: string;

  /** When the call ended (UTC). */
  @IsUtcTimestamp()
  endedAt!: string;

  /** Length of the call in whole seconds. */
  @IsCount(0)
  durationSeconds!: number;

  /** What the call led to. */
  @IsIn(CALL_OUTCOMES)
  outcome!: CallOutcome;

  /** The report (UUIDv7) created from the call, when `outcome` is `report-created`. */
  @MayBeAbsent()
  @IsUuidV7()
  reportId?: string;
}
