import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsPseudonym, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import {
  REPORT_CATEGORIES,
  REPORT_CHANNELS,
  REPORT_LEVELS,
  type ReportCategory,
  type ReportChannel,
  type ReportLevel,
} from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.submitted.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'A citizen report (phản ánh, kiến nghị) arrived; the 8-working-hour acceptance clock starts.',
})
export class ReportSubmittedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** Where the report came from. */
  @IsIn(REPORT_CHANNELS)
  channel!: ReportChannel;

  /** Subject area, for routing and reporting. */
  @IsIn(REPORT_CATEGORIES)
  category!: ReportCategory;

  /** Urgency level; sets the handling deadline. */
  @IsIn(REPORT_LEVELS)
  level!: ReportLevel;

  /** When the report was submitted (UTC). */
  @IsUtcTimestamp()
  submittedAt!: string;

  /** Keyed hash of the reporter's identity (app account or phone); never the identity itself. */
  @IsPseudonym()
  reporterPseudonym!: string;
}
