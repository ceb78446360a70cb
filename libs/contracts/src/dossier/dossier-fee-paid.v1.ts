import { IsIn } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd } from '../shared/validators';
import { FEE_PAYMENT_CHANNELS, type FeePaymentChannel } from './enums';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.fee-paid.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: "The citizen paid the dossier's fees (KPI: online payment rate).",
})
export class DossierFeePaidV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** Amount paid, integer VND. */
  @IsVnd(1)
  amountVnd!: number;

  /** When the payment was confirmed (UTC). */
  @IsUtcTimestamp()
  paidAt!: string;

  /** How it was paid: online (portal), cash at the desk, or bank transfer. */
  @IsIn(FEE_PAYMENT_CHANNELS)
  paymentChannel!: FeePaymentChannel;
}
