import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { REPORT_SLA_STAGES, type ReportSlaStage } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.overdue.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'A report missed its acceptance or handling deadline.',
})
export class ReportOverdueV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** Which deadline was missed. */
  @IsIn(REPORT_SLA_STAGES)
  stage!: ReportSlaStage;

  /** The deadline that was missed (UTC). */
  @IsUtcTimestamp()
  dueAt!: string;

  /** When the deadline check noticed it (UTC). */
  @IsUtcTimestamp()
  detectedAt!: string;
}
