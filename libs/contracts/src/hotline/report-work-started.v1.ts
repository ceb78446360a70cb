import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.work-started.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'The officer a report was assigned to started handling it (status in progress).',
})
export class ReportWorkStartedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** When work started (UTC). */
  @IsUtcTimestamp()
  startedAt!: string;

  /** The handling deadline in force (UTC). */
  @IsUtcTimestamp()
  handlingDueAt!: string;

  /** Who started it, by role. */
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole!: ReportActorRole;

  /** The staff account (UUIDv7), when the account id is one. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
