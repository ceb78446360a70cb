import { IsIn, IsInt, Max, Min } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
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

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
