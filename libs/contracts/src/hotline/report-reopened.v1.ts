import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
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

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
