import { IsBoolean } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.accepted.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'The responsible unit accepted a report for handling.',
})
export class ReportAcceptedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** When it was accepted (UTC). */
  @IsUtcTimestamp()
  acceptedAt!: string;

  /** The acceptance deadline: submission + 8 working hours (UTC). */
  @IsUtcTimestamp()
  acceptanceDueAt!: string;

  /** Accepted by `acceptanceDueAt`. */
  @IsBoolean()
  withinSla!: boolean;
}
