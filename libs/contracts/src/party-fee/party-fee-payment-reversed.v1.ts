import { Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsText, IsUtcTimestamp, IsUuidV7, IsVnd, PERIOD_PATTERN } from '../shared/validators';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-fee.payment-reversed.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-fee',
  description: 'A recorded payment was reversed (failed settlement, duplicate, or error).',
})
export class PartyFeePaymentReversedV1 {
  /** The payment being reversed (UUIDv7, from `party-fee.paid.v1`). */
  @IsUuidV7()
  paymentId!: string;

  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The month the fee is for, `YYYY-MM`. */
  @Matches(PERIOD_PATTERN, { message: '$property must be YYYY-MM' })
  period!: string;

  /** Amount reversed, integer VND. */
  @IsVnd(1)
  amountVnd!: number;

  /** When it was reversed (UTC). */
  @IsUtcTimestamp()
  reversedAt!: string;

  /** Why, as recorded by staff; no personal data. */
  @IsText()
  reason!: string;
}
