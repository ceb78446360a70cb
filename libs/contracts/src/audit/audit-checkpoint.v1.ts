import { IsIn, IsNotEmpty, IsString, Matches } from 'class-validator';
import { EventType } from '../envelope/event-type';
import { IsUtcTimestamp, SHA256_HEX_PATTERN } from '../shared/validators';
import { AUDIT_EVENTS_TOPIC, AUDIT_PRODUCER } from './topic';

@EventType({
  type: 'audit.checkpoint.v1',
  topic: AUDIT_EVENTS_TOPIC,
  producer: AUDIT_PRODUCER,
  aggregate: 'audit',
  description:
    "(unitcode: any unit the service serves; the chain is the service's, not a unit's.) A service's audit hash chain had `seq` links ending in `hash` at `at`, signed with the service's audit key: " +
    'verify-audit-chain reports a chain that no longer reaches it (truncation) or differs at it (rewrite).',
})
export class AuditCheckpointV1 {
  /** The service that wrote the audit records (`dossier`, `reporting`, ...). */
  @IsString()
  @IsNotEmpty()
  service!: string;

  /** The chain: the name of the service database that holds it; also the event subject and Kafka key. */
  @Matches(/^[A-Za-z0-9_.-]{1,63}$/, { message: '$property must be a database name' })
  chainId!: string;

  /** Position of the chain's last link (0 for an empty chain), as a decimal string (bigint). */
  @Matches(/^\d{1,19}$/, { message: '$property must be a decimal sequence number' })
  seq!: string;

  /** The last link's hash (HMAC-SHA256, lower-case hex). */
  @Matches(SHA256_HEX_PATTERN, { message: '$property must be 64 lower-case hex digits' })
  hash!: string;

  /** When the checkpoint was taken (UTC). */
  @IsUtcTimestamp()
  at!: string;

  /** HMAC-SHA256 of the checkpoint with the service's audit key (lower-case hex). */
  @Matches(SHA256_HEX_PATTERN, { message: '$property must be 64 lower-case hex digits' })
  mac!: string;

  /** The MAC's algorithm, for a future change. */
  @IsIn(['hmac-sha256'])
  macAlgorithm!: 'hmac-sha256';
}
