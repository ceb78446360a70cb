import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import {
  REPORT_REJECTION_REASONS,
  type ReportRejectionReason,
  REPORT_ACTOR_ROLES,
  type ReportActorRole,
} from './enums';
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

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
