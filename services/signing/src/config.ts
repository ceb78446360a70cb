import { DOSSIER_EVENTS_TOPIC, SIGNING_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvInt, EnvString, PlatformConfig } from '@backbone/platform';

/** The signing service's own variables (the platform's are in libs/platform/ENV.md). */
export class SigningConfig extends PlatformConfig {
  /** Where signing events go; tests point it at a topic of their own. */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a topic name, e.g. signing.events.v1',
  })
  SIGNING_EVENTS_TOPIC: string = SIGNING_EVENTS_TOPIC;

  /** Partitions the service creates its topic with when it is missing (infra/kafka/topics.json decides otherwise). */
  @EnvInt({ min: 1, max: 256, optional: true })
  SIGNING_EVENTS_PARTITIONS = 6;

  // --- The signing flow (ADR 0012): tasks from dossier.events.v1, remote-signing sessions ---

  /** The dossier service's topic, whose `dossier.resolved.v1` become signature tasks. */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a topic name, e.g. dossier.events.v1',
  })
  DOSSIER_EVENTS_TOPIC: string = DOSSIER_EVENTS_TOPIC;

  /** The consumer group of this service (its dead letters: `<group>.dlq`). */
  @EnvString({ optional: true, pattern: /^[a-z0-9._-]+$/, expected: 'a consumer group id, e.g. signing' })
  SIGNING_CONSUMER_GROUP = 'signing';

  /** How long a signer has to confirm a signing session with their second factor. */
  @EnvInt({ min: 5, max: 3_600, optional: true })
  SIGNING_SESSION_TIMEOUT_SECONDS = 120;

  /** How often this instance looks for sessions past their time; 0 turns the scanner off. */
  @EnvInt({ min: 0, max: 600_000, optional: true })
  SIGNING_SESSION_SCAN_INTERVAL_MS = 1_000;

  /** Largest PDF a session takes (base64 in JSON: BODY_LIMIT_BYTES must exceed 4/3 of it). */
  @EnvInt({ min: 1_024, max: 50_000_000, optional: true })
  SIGNING_SESSION_MAX_DOCUMENT_BYTES = 700_000;

  /** Wrong second-factor codes a session tolerates; at this many it is rejected. */
  @EnvInt({ min: 1, max: 20, optional: true })
  SIGNING_SESSION_MAX_FAILED_CODES = 5;

  /** The issuer an authenticator app shows beside the signer's TOTP entry. */
  @EnvString({ optional: true, expected: 'a short name, e.g. Hanoi signing' })
  TOTP_ISSUER = 'Hanoi signing';
}
