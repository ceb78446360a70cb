import { DOSSIER_EVENTS_TOPIC, SIGNING_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvInt, EnvString, PlatformConfig } from '@backbone/platform';

const TOPIC = /^[A-Za-z0-9._-]+$/;

/** The dossier service's own variables (the platform's are in libs/platform/ENV.md). */
export class DossierConfig extends PlatformConfig {
  /** Where dossier events go; tests point it at a topic of their own. */
  @EnvString({ optional: true, pattern: TOPIC, expected: 'a topic name, e.g. dossier.events.v1' })
  DOSSIER_EVENTS_TOPIC: string = DOSSIER_EVENTS_TOPIC;

  @EnvInt({ min: 1, max: 256, optional: true })
  DOSSIER_EVENTS_PARTITIONS = 6;

  /** Where signature outcomes come from. */
  @EnvString({ optional: true, pattern: TOPIC, expected: 'a topic name, e.g. signing.events.v1' })
  SIGNING_EVENTS_TOPIC: string = SIGNING_EVENTS_TOPIC;

  /** Consumer group (and dead-letter prefix): the service name by convention. */
  @EnvString({ optional: true, pattern: /^[a-z0-9._-]+$/, expected: 'a consumer group id, e.g. dossier' })
  DOSSIER_CONSUMER_GROUP = 'dossier';

  /** How often this instance looks for dossiers that just became overdue; 0 turns the scheduler off. */
  @EnvInt({ min: 0, max: 3_600_000, optional: true })
  OVERDUE_SCAN_INTERVAL_MS = 30_000;

  /**
   * Largest result document (PDF) a specialist uploads, and signed result stored, in bytes. They
   * arrive base64 in JSON, so BODY_LIMIT_BYTES must exceed 4/3 of this (the default fits the
   * default 1 MiB body limit).
   */
  @EnvInt({ min: 1_024, max: 50_000_000, optional: true })
  RESULT_DOCUMENT_MAX_BYTES = 700_000;
}
