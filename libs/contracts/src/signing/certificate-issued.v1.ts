import { Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { CERTIFICATE_SERIAL_PATTERN, IsText, IsUtcTimestamp, IsUuidV7 } from '../shared/validators';
import { SIGNING_EVENTS_TOPIC, SIGNING_PRODUCER } from './topic';

@EventType({
  type: 'certificate.issued.v1',
  topic: SIGNING_EVENTS_TOPIC,
  producer: SIGNING_PRODUCER,
  aggregate: 'certificate',
  description: 'A signing certificate was issued to (or registered for) a staff user.',
})
export class CertificateIssuedV1 {
  /** Serial number (hex); also the event subject and Kafka key. */
  @Matches(CERTIFICATE_SERIAL_PATTERN, { message: '$property must be a hex certificate serial' })
  certificateSerial!: string;

  /** Issuer distinguished name (an authority, not a person). */
  @IsText(500)
  issuer!: string;

  /** Staff user (UUIDv7) holding the certificate; the subject DN is deliberately not carried. */
  @IsUuidV7()
  holderId!: string;

  /** Start of validity (UTC). */
  @IsUtcTimestamp()
  notBefore!: string;

  /** End of validity (UTC). */
  @IsUtcTimestamp()
  notAfter!: string;

  /** Key algorithm and size, e.g. `RSA-2048`, `EC-P256`. */
  @IsText(32)
  keyAlgorithm!: string;
}
