import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd, PERIOD_PATTERN } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-fee.assessed.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-fee',
  description: 'The monthly fee of a member was assessed under the rule in force for that month.',
})
export class PartyFeeAssessedV1 {
  /** The assessment, UUIDv7. */
  @IsUuidV7()
  assessmentId!: string;

  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The month the fee is for, `YYYY-MM`. */
  @Matches(PERIOD_PATTERN, { message: '$property must be YYYY-MM' })
  period!: string;

  /** Fee due, integer VND. */
  @IsVnd(0)
  amountVnd!: number;

  /** The effective-dated rule applied, e.g. `342-QD/TW` (until Jan 2026) or `01-QD/TW` (from Feb 2026). */
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  ruleCode!: string;

  /** When it was assessed (UTC). */
  @IsUtcTimestamp()
  assessedAt!: string;
}
