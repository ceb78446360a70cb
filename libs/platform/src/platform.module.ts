import { type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type EntitySchema } from 'typeorm';
import { AuditRecord } from './audit/audit-record.entity';
import { AUDIT_CHAIN_OPTIONS, AuditChainLinker, type AuditChainOptions } from './audit/audit-chain-linker';
import { DEVELOPMENT_AUDIT_KEY } from './audit/audit-chain';
import {
  type AuditCheckpointPublisher,
  AuditCheckpointWriter,
  checkpointFileFor,
  databaseNameOf,
} from './audit/audit-checkpoint';
import { AuditTrail } from './audit/audit-trail';
import { AuthenticationGuard, JWT_VERIFIER } from './auth/authentication.guard';
import { resolveVerificationKeys } from './auth/dev-keys';
import { createJwtVerifier } from './auth/jwt-verifier';
import { RolesGuard } from './authz/roles.guard';
import { parseServiceClients, SERVICE_CLIENT_REGISTRY, ServiceClientGuard } from './authz/service-clients';
import { PlatformConfig } from './config/platform-config';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { SlidingWindowThrottlerStorage } from './http/sliding-window-throttler-storage';
import { createValidationPipe } from './http/validation';
import { IdempotencyKeyRecord } from './idempotency/idempotency-key.entity';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { IDEMPOTENCY_TTL_SECONDS, IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { serviceMigrations } from './migrations';
import { migrateAsOwner } from './database/migrate-as-owner';
import { HealthController, KAFKA_PING, type KafkaPing } from './observability/health.controller';
import { tcpKafkaPing } from './observability/kafka-tcp-ping';
import { MetricsController } from './observability/metrics';
import { ReadinessDetails } from './observability/readiness-details';
import { RequestContextInterceptor } from './observability/request-context-hook';
import { FieldCipher, keyRingFrom } from './pii/field-cipher';
import { BlindIndex, Pseudonymizer } from './pii/keyed-hash';

export const SERVICE_NAME = Symbol('SERVICE_NAME');

export interface PlatformModuleOptions<C extends PlatformConfig = PlatformConfig> {
  /** `dossier`, `signing`, ...: log field, OpenAPI title, metrics label. */
  serviceName: string;
  /** From loadConfig(YourConfig); injectable afterwards as PlatformConfig and as YourConfig. */
  config: C;
  /** The service's own TypeORM entities (the platform adds its audit and idempotency tables). */
  entities?: (Function | EntitySchema)[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  /** The service's own migrations; they run with the platform's at start-up. */
  migrations?: Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  /**
   * Publishes each signed audit checkpoint (`audit.checkpoint.v1`), so that a copy lives outside the
   * service's database and host as well as in AUDIT_CHECKPOINT_DIR: given the service's DataSource
   * (created here), it answers the publisher, e.g. libs/messaging's
   * `auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC)`.
   */
  auditCheckpointPublisher?: (dataSource: DataSource) => AuditCheckpointPublisher;
  /** Readiness probe for Kafka (libs/messaging provides one); a TCP probe of KAFKA_BROKERS otherwise. */
  kafkaPing?: KafkaPing;
}

/**
 * Everything a service gets from the platform, in one import:
 * database (TypeORM, migrations run at start-up, never synchronize), deny-by-default
 * authentication, roles and auditor read-only rule, rate limiting, validation, problem+json
 * errors, idempotency keys, audit trail, PII crypto, /health and /metrics.
 */
export class PlatformModule {
  static forRoot<C extends PlatformConfig>(options: PlatformModuleOptions<C>): DynamicModule {
    const { config } = options;
    const configProviders: Provider[] = [{ provide: PlatformConfig, useValue: config }];
    if (config.constructor !== PlatformConfig)
      configProviders.push({ provide: config.constructor, useValue: config });

    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            const migrations = serviceMigrations(options.migrations ?? []);
            // With an owner URL the migrations run as the owner and the service connects as its
            // own role, which cannot run DDL (see database/service-role.ts).
            const ownerMigrates = !!config.DATABASE_MIGRATION_URL;
            if (config.DATABASE_MIGRATION_URL)
              await migrateAsOwner(config.DATABASE_MIGRATION_URL, config.DATABASE_URL, migrations);
            return {
              type: 'postgres' as const,
              url: config.DATABASE_URL,
              poolSize: config.DB_POOL_SIZE,
              entities: [AuditRecord, IdempotencyKeyRecord, ...(options.entities ?? [])],
              migrations,
              migrationsRun: !ownerMigrates,
              synchronize: false,
              logging: false,
            };
          },
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: config.RATE_LIMIT_WINDOW_MS, limit: config.RATE_LIMIT_MAX }],
          storage: new SlidingWindowThrottlerStorage(),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ...configProviders,
        { provide: SERVICE_NAME, useValue: options.serviceName },
        {
          provide: JWT_VERIFIER,
          useFactory: () =>
            createJwtVerifier({
              issuer: config.JWT_ISSUER,
              audience: config.JWT_AUDIENCE,
              algorithms: config.JWT_ALGORITHMS,
              clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
              maxLifetimeSeconds: config.JWT_MAX_TOKEN_LIFETIME_SECONDS,
              keys: resolveVerificationKeys(config),
            }),
        },
        {
          provide: FieldCipher,
          useValue: new FieldCipher(keyRingFrom(config.PII_KEYS, config.PII_ACTIVE_KEY_ID)),
        },
        { provide: BlindIndex, useValue: new BlindIndex(Buffer.from(config.BLIND_INDEX_KEY, 'base64')) },
        { provide: Pseudonymizer, useValue: new Pseudonymizer(Buffer.from(config.PSEUDONYM_KEY, 'base64')) },
        { provide: KAFKA_PING, useValue: options.kafkaPing ?? tcpKafkaPing(config.KAFKA_BROKERS) },
        { provide: IDEMPOTENCY_TTL_SECONDS, useValue: config.IDEMPOTENCY_TTL_SECONDS },
        {
          provide: AUDIT_CHAIN_OPTIONS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): AuditChainOptions => {
            const key = config.AUDIT_MAC_KEY
              ? Buffer.from(config.AUDIT_MAC_KEY, 'base64')
              : DEVELOPMENT_AUDIT_KEY;
            return {
              key,
              checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
              checkpoints: new AuditCheckpointWriter({
                file: checkpointFileFor(config.AUDIT_CHECKPOINT_DIR, config.DATABASE_URL),
                service: options.serviceName,
                database: databaseNameOf(config.DATABASE_URL),
                key,
                ...(options.auditCheckpointPublisher
                  ? { publish: options.auditCheckpointPublisher(dataSource) }
                  : {}),
              }),
            };
          },
        },
        AuditTrail,
        AuditChainLinker,
        IdempotencyStore,
        ReadinessDetails,
        // Global guards run in this order: rate limit (also anonymous floods), then token, then roles.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        ...(config.SERVICE_CLIENTS
          ? [{ provide: SERVICE_CLIENT_REGISTRY, useValue: parseServiceClients(config.SERVICE_CLIENTS) }]
          : []),
        { provide: APP_GUARD, useClass: ServiceClientGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [
        PlatformConfig,
        ...(config.constructor !== PlatformConfig ? [config.constructor] : []),
        SERVICE_NAME,
        JWT_VERIFIER,
        FieldCipher,
        BlindIndex,
        Pseudonymizer,
        AuditTrail,
        AuditChainLinker,
        IdempotencyStore,
        KAFKA_PING,
        ReadinessDetails,
        // For handlers that check a service client's units on a record loaded by id.
        ...(config.SERVICE_CLIENTS ? [SERVICE_CLIENT_REGISTRY] : []),
      ],
    };
  }
}
