import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUnitCode, IsUtcTimestamp, IsUuidV7, MayBeAbsent } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.transferred.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description:
    'A report was transferred to another responsible unit; its acceptance clock restarts there (the envelope unitcode is the new unit).',
})
export class ReportTransferredV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** The unit it leaves. */
  @IsUnitCode()
  fromUnitCode!: string;

  /** The unit now responsible. */
  @IsUnitCode()
  toUnitCode!: string;

  /** When it was transferred (UTC). */
  @IsUtcTimestamp()
  transferredAt!: string;

  /** The new acceptance deadline: the transfer + 8 working hours (UTC). */
  @IsUtcTimestamp()
  acceptanceDueAt!: string;

  /** Who transferred it, by role. */
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole!: ReportActorRole;

  /** The staff account (UUIDv7), when the account id is one. */
  @MayBeAbsent()
  @IsUuidV7()
  actorId?: string;
}
