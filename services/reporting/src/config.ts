import { AUDIT_EVENTS_TOPIC, EVENT_TOPICS } from '@backbone/contracts';
import { EnvInt, EnvList, EnvString, EnvUrl, PlatformConfig } from '@backbone/platform';

export class ReportingConfig extends PlatformConfig {
  /** The consumer group (and DLQ prefix): the service name by convention. */
  @EnvString({ optional: true, pattern: /^[a-z0-9._-]+$/, expected: 'a consumer group id, e.g. reporting' })
  REPORTING_CONSUMER_GROUP = 'reporting';

  /**
   * Every `*.events.v1` topic by default but the audit checkpoints' (no figure comes from them, and the
   * reporting principal may not read that topic: infra/kafka/principals.json); tests point it at their own.
   */
  @EnvList({
    optional: true,
    itemPattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a comma-separated list of topic names',
  })
  REPORTING_TOPICS: string[] = EVENT_TOPICS.filter((topic) => topic !== AUDIT_EVENTS_TOPIC);

  /** Records applied per database transaction at most (one pre-aggregated write per table each). */
  @EnvInt({ min: 1, max: 100_000, optional: true })
  REPORTING_MAX_RECORDS_PER_TRANSACTION = 5_000;

  /**
   * Partitions applied at once, each in its own transaction. kafkajs fetches again only when every
   * batch of the last fetch is done, so with fewer workers than partitions the process waits on
   * PostgreSQL commits one after another (a third of its time idle in the bench's CPU profile).
   */
  @EnvInt({ min: 1, max: 64, optional: true })
  REPORTING_PARTITIONS_CONSUMED_CONCURRENTLY = 6;

  @EnvInt({ min: 500, max: 600_000, optional: true })
  REPORTING_LAG_POLL_MS = 5_000;

  /**
   * Inbox rows older than this are pruned (the newest per group/topic/partition is always kept,
   * the rebuild reads the live position from it). Far longer than any redelivery window: an event
   * redelivered after its row is gone would be counted twice.
   */
  @EnvInt({ min: 1, max: 3_650, optional: true })
  REPORTING_INBOX_RETENTION_DAYS = 30;

  // --- The dashboard (src/dashboard) and pipeline health (src/pipeline-health) ---

  /** The OpenID Connect provider the dashboard signs in with; JWT_ISSUER when unset. */
  @EnvUrl(['https:', 'http:'], { optional: true, example: 'https://sso.hanoi.gov.vn/realms/hanoi' })
  DASHBOARD_OIDC_ISSUER?: string;

  /**
   * Where this service itself reaches that provider (discovery, the code exchange) when the issuer's
   * URL is the browser's and does not resolve here, e.g. compose's `http://oidc:8080/realms/hanoi`
   * for the issuer `http://127.0.0.1:8080/realms/hanoi`. Unset: the issuer's URL.
   */
  @EnvUrl(['https:', 'http:'], { optional: true, example: 'http://oidc:8080/realms/hanoi' })
  DASHBOARD_OIDC_INTERNAL_URL?: string;

  /** The dashboard's client id at that provider (a public client: authorization code + PKCE). */
  @EnvString({ optional: true, pattern: /^[A-Za-z0-9._:-]{1,100}$/, expected: 'a client id, e.g. dashboard' })
  DASHBOARD_OIDC_CLIENT_ID = 'dashboard';

  /** Where the built dashboard (index.html, app.js, app.css) is; the build's dist/dashboard-web by default. */
  @EnvString({ optional: true, expected: 'a folder path' })
  DASHBOARD_ASSETS_DIR?: string;

  /**
   * The services whose health and pipeline the dashboard shows: `name=url,name=url` (npm start
   * passes every service it starts). Unset: this service alone.
   */
  @EnvList({
    optional: true,
    itemPattern: /^[a-z0-9-]{1,40}=https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._/-]*)?$/,
    expected: 'a comma-separated list of name=url, e.g. dossier=http://dossier:3101',
  })
  PIPELINE_SERVICES?: string[];

  /** Bearer token for the services' /metrics (their METRICS_TOKEN); this service's METRICS_TOKEN when unset. */
  @EnvString({ optional: true, minLength: 24, expected: 'a random token of at least 24 characters' })
  PIPELINE_METRICS_TOKEN?: string;
}
