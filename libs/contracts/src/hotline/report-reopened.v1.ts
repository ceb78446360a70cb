import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.reopened.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'A closed or answered report was reopened (e.g. the citizen disputed the answer).',
})
export class ReportReopenedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** When it was reopened (UTC). */
  @IsUtcTimestamp()
  reopenedAt!: string;

  /** Why, as recorded by staff; no personal data. */
  @IsText()
  reason!: string;
}
