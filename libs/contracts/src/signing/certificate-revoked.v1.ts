import { IsIn, Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { CERTIFICATE_SERIAL_PATTERN, IsUtcTimestamp } from '../shared/validators';
import { CERTIFICATE_REVOCATION_REASONS, type CertificateRevocationReason } from './enums';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'certificate.revoked.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'certificate',
  description: 'A signing certificate was revoked; signatures made after `revokedAt` are invalid.',
})
export class CertificateRevokedV1 {
  /** Serial number (hex); also the event subject and Kafka key. */
  @Matches(CERTIFICATE_SERIAL_PATTERN, { message: '$property must be a hex certificate serial' })
  certificateSerial!: string;

  /** Effective revocation time (UTC). */
  @IsUtcTimestamp()
  revokedAt!: string;

  /** RFC 5280 CRLReason name. */
  @IsIn(CERTIFICATE_REVOCATION_REASONS)
  reason!: CertificateRevocationReason;
}
