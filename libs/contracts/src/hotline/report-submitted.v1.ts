import { IsIn, Matches, MaxLength } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsPseudonym, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import {
  REPORT_CATEGORIES,
  REPORT_CHANNELS,
  REPORT_LEVELS,
  type ReportCategory,
  type ReportChannel,
  type ReportLevel,
  REPORT_ACTOR_ROLES,
  type ReportActorRole,
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

  /** The taxonomy entry (finer than `category`, which is its group), e.g. `environment.waste`. */
  @MayBeAbsent()
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, { message: '$property must be a taxonomy code' })
  @MaxLength(64)
  categoryCode?: string;

  /** The 1022 call the report was created from, when it was. */
  @MayBeAbsent()
  @IsUuidV7()
  callId?: string;

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
