import { DOSSIER_EVENTS_TOPIC, SIGNING_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvBoolean, EnvInt, EnvList, EnvString, EnvUrl, PlatformConfig } from '@backbone/platform';

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

  /**
   * The folder of the city's PKI (root CA, issuing CA, TSA: certificates and keys, written by
   * `npm run pki:init`). Outside production the service creates it when it is missing; production
   * refuses to start without it.
   */
  @EnvString({ optional: true, expected: 'a folder, e.g. /var/lib/backbone/signing-pki' })
  SIGNING_PKI_DIR = '.data/signing-pki';

  /**
   * Create a missing PKI at start-up in production too (a self-contained deployment such as docker
   * compose, whose PKI lives on a volume). Off by default: production expects the operator's CA files.
   */
  @EnvBoolean({ optional: true })
  SIGNING_PKI_CREATE_IF_MISSING = false;

  /**
   * Trusted roots for validation, as PEM files (comma-separated). Default: the city root only; an
   * operator adds the national root (e.g. the Root CA of the national digital-signature authority).
   */
  @EnvList({ optional: true, expected: 'comma-separated paths of PEM certificate files' })
  SIGNING_TRUSTED_ROOT_FILES?: string[];

  /** The address others reach this service at: the CRL distribution point in each certificate. */
  @EnvUrl(['http:', 'https:'], { optional: true, example: 'https://signing.hanoi.gov.vn' })
  SIGNING_PUBLIC_BASE_URL = 'http://127.0.0.1:3102';

  /** Validity of a signer certificate when the request does not say. */
  @EnvInt({ min: 1, max: 1825, optional: true })
  SIGNING_CERTIFICATE_VALIDITY_DAYS = 365;

  /** A certificate expiring within this many days raises `certificate.expiring.v1` (and the gauge). */
  @EnvInt({ min: 1, max: 365, optional: true })
  SIGNING_EXPIRY_WARNING_DAYS = 30;

  /** How often the expiry watch looks (ms); 0 turns it off (the API fuzz suite's quiet mode). */
  @EnvInt({ min: 0, max: 86_400_000, optional: true })
  SIGNING_EXPIRY_SCAN_INTERVAL_MS = 3_600_000;

  /**
   * Largest document accepted for signing or validation (bytes). Bodies are read as a stream and cut
   * off at this size (413), whatever Content-Length says.
   */
  @EnvInt({ min: 1024, max: 100 * 1024 * 1024, optional: true })
  SIGNING_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

  /** Policy OID of the city TSA's tokens. */
  @EnvString({ optional: true, pattern: /^[0-2](\.\d+)+$/, expected: 'an OID, e.g. 1.3.6.1.4.1.99999.1.1' })
  SIGNING_TSA_POLICY_OID = '1.3.6.1.4.1.59999.3102.1';

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

  /**
   * The documents one confirmation signs together (POST /signing-sessions/confirmations) are at
   * most this many bytes: the request holds them all in memory while it signs.
   */
  @EnvInt({ min: 1_024, max: 200_000_000, optional: true })
  SIGNING_CONFIRMATION_MAX_BYTES = 35_000_000;

  /** Wrong second-factor codes a session tolerates; at this many it is locked (and then times out). */
  @EnvInt({ min: 1, max: 20, optional: true })
  SIGNING_SESSION_MAX_FAILED_CODES = 5;

  /** The issuer an authenticator app shows beside the signer's TOTP entry. */
  @EnvString({ optional: true, expected: 'a short name, e.g. Hanoi signing' })
  TOTP_ISSUER = 'Hanoi signing';
}
