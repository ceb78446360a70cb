import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd, PERIOD_PATTERN } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-member.arrears-flagged.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-member',
  description:
    "A party member left three or more months unpaid without excuse within twelve months (grounds for removal under the rules); the member is on the committee's arrears list.",
})
export class PartyMemberArrearsFlaggedV1 {
  /** The flag, UUIDv7. */
  @IsUuidV7()
  flagId!: string;

  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The last month of the twelve-month window examined, `YYYY-MM`. */
  @Matches(PERIOD_PATTERN, { message: '$property must be YYYY-MM' })
  asOfPeriod!: string;

  /** The unexcused unpaid months within the window (`YYYY-MM`, ascending). */
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(12)
  @Matches(PERIOD_PATTERN, { each: true, message: 'each of $property must be YYYY-MM' })
  unpaidPeriods!: string[];

  /** What those months still owe, integer VND. */
  @IsVnd(0)
  outstandingVnd!: number;

  /** When the flag was raised (UTC). */
  @IsUtcTimestamp()
  flaggedAt!: string;
}
