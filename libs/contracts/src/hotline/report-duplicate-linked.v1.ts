import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.duplicate-linked.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description:
    'A new report was recognised as a duplicate of an open one and linked to it: it is not worked twice, and its reporter gets the open report’s answer.',
})
export class ReportDuplicateLinkedV1 {
  /** The new (duplicate) report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** The open report it was linked to. */
  @IsUuidV7()
  primaryReportId!: string;

  /** When it was linked (UTC). */
  @IsUtcTimestamp()
  linkedAt!: string;
}
