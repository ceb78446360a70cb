import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsCount, IsUnitCode, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { REPORT_ACTOR_ROLES, type ReportActorRole } from './enums';
import { HOTLINE_EVENTS_TOPIC, HOTLINE_PRODUCER } from './topic';

@EventType({
  type: 'report.escalated.v1',
  topic: HOTLINE_EVENTS_TOPIC,
  producer: HOTLINE_PRODUCER,
  aggregate: 'report',
  description:
    'A report rated 1–2 again after it had already been reopened once went up to the city (the envelope unitcode is the city unit).',
})
export class ReportEscalatedV1 {
  /** The report, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  reportId!: string;

  /** The unit that had handled it. */
  @IsUnitCode()
  fromUnitCode!: string;

  /** The city unit now responsible. */
  @IsUnitCode()
  toUnitCode!: string;

  /** When it was escalated (UTC). */
  @IsUtcTimestamp()
  escalatedAt!: string;

  /** The city's acceptance deadline: escalation + 8 working hours (UTC). */
  @IsUtcTimestamp()
  acceptanceDueAt!: string;

  /** How many times it had been reopened before. */
  @IsCount(0)
  reopenCount!: number;

  /** Who caused it, by role (the citizen's second low rating). */
  @IsIn(REPORT_ACTOR_ROLES)
  actorRole!: ReportActorRole;
}
