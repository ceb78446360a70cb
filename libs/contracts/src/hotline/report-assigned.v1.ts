import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUnitCode, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.assigned.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description: 'A report was assigned (or reassigned) to a unit for handling.',
})
export class ReportAssignedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** The unit now responsible: a 5-digit commune/ward code or a city department code. */
  @IsUnitCode()
  assignedUnitCode!: string;

  /** When it was assigned (UTC). */
  @IsUtcTimestamp()
  assignedAt!: string;

  /** When the unit must answer by (UTC), from the report's level. */
  @IsUtcTimestamp()
  handlingDueAt!: string;

  /** Who took this step, by role (see REPORT_ACTOR_ROLES); absent on events published before it was added. */
  @MayBeAbsent()
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole?: ReportActorRole;

  /** The staff account (UUIDv7) that took the step, when the account id is one; never a citizen. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
