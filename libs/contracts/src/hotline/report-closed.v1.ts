import { IsInt, Max, Min } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.closed.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: "A report was closed, with the citizen's rating when one was given (KPI: satisfaction).",
})
export class ReportClosedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** When it was closed (UTC). */
  @IsUtcTimestamp()
  closedAt!: string;

  /** The citizen's rating, 1 (worst) to 5 (best); absent when none was given. */
  @MayBeAbsent()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;
}
