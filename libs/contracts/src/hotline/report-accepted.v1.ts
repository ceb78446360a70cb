import { IsIn } from 'class-validator';
import { IsBoolean } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
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

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
