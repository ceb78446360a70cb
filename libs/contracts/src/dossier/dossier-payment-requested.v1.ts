import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, IsUuidV7, IsVnd } from '../shared/validators';
import { DOSSIER_EVENTS_TOPIC, DOSSIER_PRODUCER } from './topic';

@EventType({
  type: 'dossier.payment-requested.v1',
  topic: DOSSIER_EVENTS_TOPIC,
  producer: DOSSIER_PRODUCER,
  aggregate: 'dossier',
  description: 'The unit asked the citizen to pay the fees for the dossier.',
})
export class DossierPaymentRequestedV1 {
  /** The dossier, UUIDv7; also the event subject and Kafka key. */
  @IsUuidV7()
  dossierId!: string;

  /** Amount to pay, integer VND. */
  @IsVnd(1)
  amountVnd!: number;

  /** When the payment request was issued (UTC). */
  @IsUtcTimestamp()
  requestedAt!: string;
}
