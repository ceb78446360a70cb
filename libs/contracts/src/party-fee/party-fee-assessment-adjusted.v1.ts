import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd, PERIOD_PATTERN } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-fee.assessment-adjusted.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-fee',
  description:
    "A month's assessment was corrected (e.g. the member's basis changed): a visible adjustment beside the original, never an edit.",
})
export class PartyFeeAssessmentAdjustedV1 {
  /** The adjustment, UUIDv7. */
  @IsUuidV7()
  adjustmentId!: string;

  /** The assessment adjusted (UUIDv7, from `party-fee.assessed.v1`). */
  @IsUuidV7()
  assessmentId!: string;

  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The month the fee is for, `YYYY-MM`. */
  @Matches(PERIOD_PATTERN, { message: '$property must be YYYY-MM' })
  period!: string;

  /** The change of the fee due, integer VND: positive when more is due, negative when less. */
  @IsInt()
  @Min(-1_000_000_000_000)
  @Max(1_000_000_000_000)
  deltaVnd!: number;

  /** The fee due for the month after this adjustment, integer VND. */
  @IsVnd(0)
  amountVnd!: number;

  /** The effective-dated rule applied, e.g. `342-QD/TW` or `01-QD/TW`. */
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  ruleCode!: string;

  /** When it was adjusted (UTC). */
  @IsUtcTimestamp()
  adjustedAt!: string;
}
