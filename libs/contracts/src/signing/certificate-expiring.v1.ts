import { IsInt, Matches, Max, Min } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { CERTIFICATE_SERIAL_PATTERN, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'certificate.expiring.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'certificate',
  description:
    'A signing certificate that is still valid expires soon (within the warning period, 30 days by default): renew it before then.',
})
export class CertificateExpiringV1 {
  /** Serial number (hex); also the event subject and Kafka key. */
  @Matches(CERTIFICATE_SERIAL_PATTERN, { message: '$property must be a hex certificate serial' })
  certificateSerial!: string;

  /** Staff user (UUIDv7) holding the certificate. */
  @IsUuidV7()
  holderId!: string;

  /** End of validity (UTC). */
  @IsUtcTimestamp()
  notAfter!: string;

  /** Whole days left when the warning was raised (0 = expires within a day). */
  @IsInt()
  @Min(0)
  @Max(366)
  daysLeft!: number;

  /** When the warning was raised (UTC). */
  @IsUtcTimestamp()
  warnedAt!: string;
}
