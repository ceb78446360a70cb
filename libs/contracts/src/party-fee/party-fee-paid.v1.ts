import { IsIn, Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd, PERIOD_PATTERN } from '../shared/validators';
import { PARTY_FEE_PAYMENT_CHANNELS, type PartyFeePaymentChannel } from './enums';
import { PARTY_FEE_EVENTS_TOPIC, PARTY_FEE_PRODUCER } from './topic';

@EventType({
  type: 'party-fee.paid.v1',
  topic: PARTY_FEE_EVENTS_TOPIC,
  producer: PARTY_FEE_PRODUCER,
  aggregate: 'party-fee',
  description: 'A member paid a monthly fee (paying more than assessed is allowed).',
})
export class PartyFeePaidV1 {
  /** The payment transaction, UUIDv7. */
  @IsUuidV7()
  paymentId!: string;

  /** The party member (UUIDv7); the subject and Kafka key of every party-fee event, so one member's fees stay in order. */
  @IsUuidV7()
  memberId!: string;

  /** The month the fee is for, `YYYY-MM`. */
  @Matches(PERIOD_PATTERN, { message: '$property must be YYYY-MM' })
  period!: string;

  /** Amount paid, integer VND. */
  @IsVnd(1)
  amountVnd!: number;

  /** Online on the national portal, or cash to the party cell. */
  @IsIn(PARTY_FEE_PAYMENT_CHANNELS)
  channel!: PartyFeePaymentChannel;

  /** When the payment was confirmed (UTC). */
  @IsUtcTimestamp()
  paidAt!: string;
}
