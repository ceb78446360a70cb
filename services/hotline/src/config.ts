import { CITY_UNIT_CODE, DOSSIER_EVENTS_TOPIC, HOTLINE_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvInt, EnvString, PlatformConfig } from '@backbone/platform';

const TOPIC = /^[A-Za-z0-9._-]+$/;

/** The hotline service's own variables (the platform's are in libs/platform/ENV.md). */
export class HotlineConfig extends PlatformConfig {
  /** Where hotline events go; tests point it at a topic of their own. */
  @EnvString({ optional: true, pattern: TOPIC, expected: 'a topic name, e.g. hotline.events.v1' })
  HOTLINE_EVENTS_TOPIC: string = HOTLINE_EVENTS_TOPIC;

  /** Partitions the service creates its topic with when it is missing (infra/kafka/topics.json decides otherwise). */
  @EnvInt({ min: 1, max: 256, optional: true })
  HOTLINE_EVENTS_PARTITIONS = 6;

  /** Where the official calendar comes from (`calendar.official-year-set.v1`, docs/adr/0008). */
  @EnvString({ optional: true, pattern: TOPIC, expected: 'a topic name, e.g. dossier.events.v1' })
  DOSSIER_EVENTS_TOPIC: string = DOSSIER_EVENTS_TOPIC;

  /** Consumer group (and dead-letter prefix): the service name by convention. */
  @EnvString({ optional: true, pattern: /^[a-z0-9._-]+$/, expected: 'a consumer group id, e.g. hotline' })
  HOTLINE_CONSUMER_GROUP = 'hotline';

  /** How often this instance looks for breached acceptance/handling deadlines; 0 turns it off. */
  @EnvInt({ min: 0, max: 3_600_000, optional: true })
  OVERDUE_SCAN_INTERVAL_MS = 30_000;

  /**
   * The unit of the 1022 centre and of the city: call and account events are published under it,
   * reports escalate to it, and reports whose place names no unit wait there for an agent.
   */
  @EnvString({
    optional: true,
    pattern: /^[A-Z][A-Z0-9-]{1,31}$/,
    expected: 'a department code, e.g. VP-UBND',
  })
  HOTLINE_CITY_UNIT_CODE = CITY_UNIT_CODE;

  /** GeoJSON FeatureCollection of unit boundaries (properties.code): point-in-polygon routing when set. */
  @EnvString({ optional: true, expected: 'a path to a GeoJSON file' })
  HOTLINE_UNIT_BOUNDARIES_FILE: string | undefined = undefined;

  /** A new report of the same category this close (metres) to an open one is linked to it. */
  @EnvInt({ min: 1, max: 10_000, optional: true })
  HOTLINE_DUPLICATE_DISTANCE_M = 50;

  /** …if the open one was submitted within this many hours (same normalised address too). */
  @EnvInt({ min: 1, max: 24 * 90, optional: true })
  HOTLINE_DUPLICATE_WINDOW_HOURS = 72;

  /**
   * Open311 API keys for POST requests: `channel:key,…` (channel web, zalo, email, ihanoi). Keys are
   * compared as SHA-256 in constant time; unset, the Open311 POST refuses every key.
   */
  @EnvString({ optional: true, expected: 'channel:key pairs, e.g. web:3f9a…' })
  OPEN311_API_KEYS: string | undefined = undefined;
}
