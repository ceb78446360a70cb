import {
  decodesToBytes,
  EnvBase64Key,
  EnvBoolean,
  EnvEnum,
  EnvInt,
  EnvList,
  EnvString,
  EnvUrl,
} from './env-decorators';
import { DEVELOPMENT_EVENT_SCHEMA_BASE_URL, normaliseSchemaBaseUrl } from '@backbone/contracts';
import { productionKeyProblem } from './production-secrets';
import { KAFKA_AUTH_MODES, type KafkaAuthMode, kafkaSecurityProblems } from '@backbone/messaging';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const JWT_ALGORITHMS = ['RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** A problem found in the configuration: the variable and what is expected of it. */
export interface ConfigProblem {
  variable: string;
  expected: string;
}

/**
 * The variables every service reads. A service extends this class with its own fields (using the
 * Env* decorators) and passes its class to `loadConfig` / `bootstrapService`.
 * Field initializers are the defaults; fields without one are required. ENV.md documents each one.
 */
export class PlatformConfig {
  @EnvEnum(['development', 'test', 'production'], { optional: true })
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @EnvInt({ min: 0, max: 65535, optional: true })
  PORT = 3000;

  @EnvUrl(['postgres:', 'postgresql:'], { example: 'postgres://postgres@127.0.0.1:5432/dossier' })
  DATABASE_URL!: string;

  /**
   * The database's owner role, for migrations only (compose, deployments): the platform migrates with
   * it at start-up, grants the role of DATABASE_URL its row access, then connects as that role.
   */
  @EnvUrl(['postgres:', 'postgresql:'], {
    optional: true,
    example: 'postgres://dossier_owner:secret@postgres:5432/dossier',
  })
  DATABASE_MIGRATION_URL?: string;

  /**
   * Connections in the service's pool. An intake holds one for its transaction; a request waiting
   * for a connection adds that wait to its latency. PostgreSQL on a small machine does best with
   * a few dozen connections in all, so several instances share this budget.
   */
  @EnvInt({ min: 1, max: 500, optional: true })
  DB_POOL_SIZE = 20;

  @EnvList({
    itemPattern: /^[A-Za-z0-9.-]+:\d{1,5}$/,
    expected: 'a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  })
  KAFKA_BROKERS!: string[];

  /**
   * How the service proves who it is to the brokers (docs/adr/0010, 0014): `scram` (SASL/SCRAM-SHA-512
   * as its own principal) or `tls` (a client certificate). Production refuses `none`.
   */
  @EnvEnum(KAFKA_AUTH_MODES, { optional: true })
  KAFKA_AUTH: KafkaAuthMode = 'none';

  @EnvString({ optional: true, expected: "the service's Kafka principal, e.g. dossier" })
  KAFKA_SASL_USERNAME?: string;

  @EnvString({ optional: true, expected: "the Kafka principal's SCRAM password" })
  KAFKA_SASL_PASSWORD?: string;

  /** A file holding the SCRAM password (Kubernetes: the KafkaUser's Secret, mounted), instead of KAFKA_SASL_PASSWORD. */
  @EnvString({ optional: true, expected: 'a path to a file holding the SCRAM password' })
  KAFKA_SASL_PASSWORD_FILE?: string;

  /** TLS to the brokers (SASL_SSL, or SSL with KAFKA_AUTH=tls); required in production unless KAFKA_ALLOW_PLAINTEXT. */
  @EnvBoolean({ optional: true })
  KAFKA_SSL = false;

  /** PEM of the CA that signs the brokers' certificates (Strimzi: `<cluster>-cluster-ca-cert`, `ca.crt`). */
  @EnvString({ optional: true, expected: 'a path to a PEM CA certificate file, e.g. /etc/kafka-ca/ca.crt' })
  KAFKA_SSL_CA_FILE?: string;

  @EnvString({ optional: true, expected: 'a path to a PEM client certificate file (KAFKA_AUTH=tls)' })
  KAFKA_SSL_CERT_FILE?: string;

  @EnvString({ optional: true, expected: 'a path to a PEM private key file (KAFKA_AUTH=tls)' })
  KAFKA_SSL_KEY_FILE?: string;

  /** Production only: accept brokers without TLS (one host or a private compose network). */
  @EnvBoolean({ optional: true })
  KAFKA_ALLOW_PLAINTEXT = false;

  @EnvString({ expected: 'the issuer (iss) of accepted tokens, e.g. http://127.0.0.1:8080/realms/hanoi' })
  JWT_ISSUER!: string;

  @EnvString({ expected: 'the audience (aud) accepted tokens must name, e.g. backbone' })
  JWT_AUDIENCE!: string;

  @EnvUrl(['https:', 'http:'], {
    optional: true,
    example: 'https://sso.example/realms/hanoi/protocol/openid-connect/certs',
  })
  JWKS_URL?: string;

  @EnvString({ optional: true, pattern: /-----BEGIN PUBLIC KEY-----/, expected: 'a PEM public key (SPKI)' })
  JWT_PUBLIC_KEY?: string;

  @EnvString({
    optional: true,
    expected: 'a path to a PEM public key file, e.g. .data/dev-keys/jwt-public.pem',
  })
  JWT_PUBLIC_KEY_FILE?: string;

  @EnvList({
    optional: true,
    itemPattern: /^(RS256|ES256)$/,
    expected: 'a comma-separated list of RS256, ES256',
  })
  JWT_ALGORITHMS: JwtAlgorithm[] = ['RS256', 'ES256'];

  @EnvInt({ min: 0, max: 300, optional: true })
  JWT_CLOCK_TOLERANCE_SECONDS = 5;

  /** Longest lifetime (exp − iat) of an accepted token; longer ones are refused. */
  @EnvInt({ min: 60, max: 7 * 86_400, optional: true })
  JWT_MAX_TOKEN_LIFETIME_SECONDS = 43_200;

  /**
   * Service clients and what each may do: `client:action+action[@unit+unit];...` (authz/service-clients.ts).
   * Unset outside production: every service token may call every service route (development).
   * Required in production.
   */
  @EnvString({
    optional: true,
    pattern:
      /^[A-Za-z0-9._-]+:[A-Za-z0-9.*_+-]+(@[A-Z0-9+-]+)?(;\s*[A-Za-z0-9._-]+:[A-Za-z0-9.*_+-]+(@[A-Z0-9+-]+)?)*;?$/,
    expected: 'client:action+action[@unit+unit];..., e.g. national-portal:dossier.receive-online',
  })
  SERVICE_CLIENTS?: string;

  /** `kid:base64key,kid:base64key`; every key 32 bytes. Old keys stay so that old ciphertext decrypts. */
  @EnvList({
    itemPattern: /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]+={0,2}$/,
    expected: 'a key ring "keyId:base64key,keyId:base64key" (each key 32 bytes: openssl rand -base64 32)',
  })
  PII_KEYS!: string[];

  @EnvString({
    pattern: /^[A-Za-z0-9_-]{1,32}$/,
    expected: 'the id of the PII_KEYS entry that encrypts new values',
  })
  PII_ACTIVE_KEY_ID!: string;

  @EnvBase64Key(32)
  BLIND_INDEX_KEY!: string;

  @EnvBase64Key(32)
  PSEUDONYM_KEY!: string;

  /**
   * HMAC key of the audit trail: each record's MAC and each chain link's hash. The database never
   * holds it, so its owner can neither forge a record nor rewrite and re-hash the chain. Required in
   * production; development and tests use a published development key when it is unset.
   */
  @EnvBase64Key(32, { optional: true })
  AUDIT_MAC_KEY?: string;

  /** Where signed audit checkpoints are appended (`<dir>/<database>.jsonl`), outside the database. */
  @EnvString({ optional: true, expected: 'a folder path, e.g. /var/lib/backbone/audit-checkpoints' })
  AUDIT_CHECKPOINT_DIR = '.data/audit-checkpoints';

  /** A signed checkpoint of the audit chain's head at least this often. */
  @EnvInt({ min: 1000, max: 86_400_000, optional: true })
  AUDIT_CHECKPOINT_INTERVAL_MS = 60_000;

  /**
   * The public URL of the event catalogue (docs/adr/0013): every event's `dataschema` is this +
   * `schemas/<type>.json`, and outside systems fetch the schemas there. Every service serves the
   * catalogue at `/events/`; the URL names the one the deployment routes to (the reporting service).
   * Unset outside production: `http://127.0.0.1:3105/events/` (npm start). Required in production,
   * and not a loopback address there (other systems could not resolve it).
   */
  @EnvUrl(['https:', 'http:'], { optional: true, example: 'https://backbone.hanoi.gov.vn/events/' })
  EVENT_SCHEMA_BASE_URL?: string;

  /** Where the services publish `audit.checkpoint.v1` (a copy of each checkpoint off the host). */
  @EnvString({ optional: true, expected: 'a Kafka topic name, e.g. audit.events.v1' })
  AUDIT_EVENTS_TOPIC = 'audit.events.v1';

  @EnvEnum(LOG_LEVELS, { optional: true })
  LOG_LEVEL: LogLevel = 'info';

  @EnvInt({ min: 1024, max: 104_857_600, optional: true })
  BODY_LIMIT_BYTES = 1_048_576;

  @EnvInt({ min: 1, max: 1_000_000, optional: true })
  RATE_LIMIT_MAX = 300;

  @EnvInt({ min: 1000, max: 3_600_000, optional: true })
  RATE_LIMIT_WINDOW_MS = 60_000;

  @EnvInt({ min: 60, max: 30 * 86_400, optional: true })
  IDEMPOTENCY_TTL_SECONDS = 86_400;

  /** Serve /docs. Unset: on outside production, off in production (it maps every route). */
  @EnvBoolean({ optional: true })
  SWAGGER_ENABLED?: boolean;

  /**
   * Bearer token a scraper must send to read /metrics. Unset: /metrics is public outside production
   * and off (404) in production.
   */
  @EnvString({ optional: true, minLength: 24, expected: 'a random token of at least 24 characters' })
  METRICS_TOKEN?: string;

  /**
   * OpenTelemetry tracing: the OTLP/HTTP endpoint (a collector, or Jaeger: `http://jaeger:4318`) the
   * service sends its spans to. Unset: no tracing at all, at no cost. The exporter reads the other
   * standard `OTEL_EXPORTER_OTLP_*` variables itself; `OTEL_SDK_DISABLED=true` turns tracing off.
   */
  @EnvUrl(['http:', 'https:'], { optional: true, example: 'http://jaeger:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs): a hop
   * count (`1` = the load balancer in front) or a comma-separated list of proxy addresses/CIDRs.
   * Unset or `false`: the socket address (every client behind a proxy would share one limit).
   */
  @EnvString({
    optional: true,
    pattern: /^(false|\d{1,2}|[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*)$/,
    expected: 'false, a hop count such as 1, or proxy addresses/CIDRs such as 10.0.0.0/8,192.168.1.10',
  })
  TRUST_PROXY?: string;

  /**
   * Rules that involve more than one variable. A subclass that adds its own overrides this and
   * appends to `super.crossCheck()`.
   */
  /**
   * Defaults that depend on other variables, applied by loadConfig after reading them. A subclass
   * that adds its own calls `super.resolveDefaults()`.
   */
  resolveDefaults(): void {
    // /docs maps every route: on outside production unless configured, off in production.
    this.SWAGGER_ENABLED ??= this.NODE_ENV !== 'production';
    if (this.NODE_ENV !== 'production') this.EVENT_SCHEMA_BASE_URL ??= DEVELOPMENT_EVENT_SCHEMA_BASE_URL;
  }

  /** EVENT_SCHEMA_BASE_URL as `dataschema` uses it (ending in `/`); crossCheck has vouched for it. */
  get eventSchemaBaseUrl(): string {
    return normaliseSchemaBaseUrl(this.EVENT_SCHEMA_BASE_URL ?? DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
  }

  /** Fastify's `trustProxy` from TRUST_PROXY: false, a list of proxies, or a hop count. */
  get trustProxy(): false | string | ((address: string, hop: number) => boolean) {
    const value = this.TRUST_PROXY?.trim();
    if (!value || value === 'false') return false;
    if (!/^\d+$/.test(value)) return value;
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }

  crossCheck(): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (!this.JWKS_URL && !this.JWT_PUBLIC_KEY && !this.JWT_PUBLIC_KEY_FILE) {
      problems.push({
        variable: 'JWKS_URL',
        expected: 'is required unless JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE gives a local public key',
      });
    }
    if (this.NODE_ENV === 'production' && !this.JWKS_URL) {
      problems.push({
        variable: 'JWKS_URL',
        expected: 'is required when NODE_ENV=production (local keys are for development and tests)',
      });
    }
    // The messaging lib's own rules (the one place that turns these variables into a client), reading
    // the certificate and password files they name: a bad file stops the start, naming the variable.
    problems.push(...kafkaSecurityProblems(this));
    problems.push(...this.eventSchemaBaseUrlProblems());
    const ring = Array.isArray(this.PII_KEYS) ? this.PII_KEYS : [];
    const ids = new Set<string>();
    for (const entry of ring) {
      const [id, key] = entry.split(':');
      if (ids.has(id))
        problems.push({ variable: 'PII_KEYS', expected: `key id "${id}" appears twice; ids must be unique` });
      ids.add(id);
      if (!decodesToBytes(key, 32)) {
        problems.push({
          variable: 'PII_KEYS',
          expected: `key "${id}" must be 32 bytes in base64 (openssl rand -base64 32)`,
        });
      }
    }
    if (this.PII_ACTIVE_KEY_ID && ring.length > 0 && !ids.has(this.PII_ACTIVE_KEY_ID)) {
      problems.push({ variable: 'PII_ACTIVE_KEY_ID', expected: 'must name one of the key ids in PII_KEYS' });
    }
    if (this.NODE_ENV === 'production') problems.push(...this.productionSecretProblems(ring));
    if (this.BLIND_INDEX_KEY && this.BLIND_INDEX_KEY === this.PSEUDONYM_KEY) {
      problems.push({
        variable: 'PSEUDONYM_KEY',
        expected:
          'must differ from BLIND_INDEX_KEY, so that pseudonyms in events cannot be joined to database indexes',
      });
    }
    return problems;
  }

  /** A base URL other systems can resolve: absolute, plain, and in production neither unset nor loopback. */
  private eventSchemaBaseUrlProblems(): ConfigProblem[] {
    const variable = 'EVENT_SCHEMA_BASE_URL';
    if (!this.EVENT_SCHEMA_BASE_URL) {
      return this.NODE_ENV === 'production'
        ? [
            {
              variable,
              expected:
                'is required when NODE_ENV=production: the public URL of the event catalogue, e.g. https://backbone.hanoi.gov.vn/events/',
            },
          ]
        : [];
    }
    try {
      normaliseSchemaBaseUrl(this.EVENT_SCHEMA_BASE_URL);
    } catch (error) {
      return [{ variable, expected: (error as Error).message.replace(/^event schema base URL /, '') }];
    }
    const host = new URL(this.EVENT_SCHEMA_BASE_URL).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.NODE_ENV === 'production' && isLoopbackHost(host)) {
      return [
        {
          variable,
          expected: `must not be a loopback address (${host}) when NODE_ENV=production: other systems resolve dataschema with it`,
        },
      ];
    }
    return [];
  }

  /**
   * Production refuses development keys (those shipped in `.env.example` and docs) and anything that
   * is not 32 random bytes, naming the variable, and a connection as the PostgreSQL superuser.
   */
  private productionSecretProblems(ring: readonly string[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const advice = 'generate one with `npm run secrets:generate` or `openssl rand -base64 32`';
    for (const entry of ring) {
      const [id, key] = entry.split(':');
      const problem = key === undefined ? undefined : productionKeyProblem(key);
      if (problem) problems.push({ variable: 'PII_KEYS', expected: `key "${id}" ${problem}; ${advice}` });
    }
    if (!this.SERVICE_CLIENTS) {
      problems.push({
        variable: 'SERVICE_CLIENTS',
        expected:
          'is required when NODE_ENV=production: the service clients and the actions each may perform',
      });
    }
    if (!this.AUDIT_MAC_KEY) {
      problems.push({
        variable: 'AUDIT_MAC_KEY',
        expected: `is required when NODE_ENV=production (32 random bytes in base64); ${advice}`,
      });
    }
    for (const variable of ['BLIND_INDEX_KEY', 'PSEUDONYM_KEY', 'AUDIT_MAC_KEY'] as const) {
      const problem = this[variable] ? productionKeyProblem(this[variable]) : undefined;
      if (problem) problems.push({ variable, expected: `${problem}; ${advice}` });
    }
    if (this.DATABASE_URL) {
      const user = decodeURIComponent(new URL(this.DATABASE_URL).username);
      if (user === '' || user === 'postgres') {
        problems.push({
          variable: 'DATABASE_URL',
          expected:
            "must connect as the service's own least-privilege role (e.g. dossier_app), not the superuser, when NODE_ENV=production",
        });
      }
    }
    return problems;
  }
}

/** localhost, 127.0.0.0/8, ::1, 0.0.0.0: addresses that mean "this machine" to whoever resolves them. */
export function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '::1' ||
    host === '0.0.0.0' ||
    host === '::'
  );
}
