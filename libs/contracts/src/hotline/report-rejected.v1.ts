import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { REPORT_REJECTION_REASONS, type ReportRejectionReason } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.rejected.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'A report was not taken up (out of scope, unclear, a formal complaint, or a duplicate).',
})
export class ReportRejectedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** When it was rejected (UTC). */
  @IsUtcTimestamp()
  rejectedAt!: string;

  /** Why it was not taken up. */
  @IsIn(REPORT_REJECTION_REASONS)
  reason!: ReportRejectionReason;
}
