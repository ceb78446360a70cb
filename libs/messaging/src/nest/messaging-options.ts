// Nest-free on purpose: @nestjs/* packages are ESM-only, which jest here cannot load, so the
// lib's entry point must not import them eagerly (see MessagingModule in index.ts).
import type { IdempotentConsumerOptions } from '../consumer/idempotent-consumer';
import type { KafkaLogLevel } from '../kafka/kafka-client';
import type { KafkaSecurity } from '../kafka/kafka-security';
import type { MessagingLogger } from '../logger';
import type { OutboxRelayOptions } from '../outbox/outbox-relay';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
/** `@Inject(DEAD_LETTER_OPERATIONS) operations: DeadLetterOperations` (with `deadLetterOps: true`). */
export const DEAD_LETTER_OPERATIONS = Symbol('DEAD_LETTER_OPERATIONS');

type ConsumerTuning = Pick<
  IdempotentConsumerOptions,
  | 'maxAttempts'
  | 'initialBackoffMs'
  | 'maxBackoffMs'
  | 'maxRecordsPerTransaction'
  | 'partitionsConsumedConcurrently'
  | 'fromBeginning'
  | 'inboxRetention'
  | 'fetch'
  | 'appliedOffsets'
>;

/**
 * A consumer group of the service. Its handlers are the `@EventPattern` (or `@InboxBatch`) methods of
 * the application's `@InboxConsumer()` classes; it runs once the service connects it:
 * `app.connectMicroservice(inboxTransport())` then `app.startAllMicroservices()`.
 */
export interface MessagingConsumerDefinition extends ConsumerTuning {
  /**
   * Default: the service name (the convention: consumer group = service). Distinct names if a service
   * has several; several groups reading the SAME topic also need distinct `appliedOffsets.scope`s.
   */
  groupId?: string;
  topics: string[];
}

export interface MessagingModuleOptions {
  serviceName: string;
  brokers: string[];
  /** Topics this service publishes: created at bootstrap when missing (the brokers never create topics implicitly). */
  publishes?: { topic: string; numPartitions?: number }[];
  /** Run the outbox relay in this process (default true when the service publishes anything). */
  relay?: boolean | Partial<Omit<OutboxRelayOptions, 'dataSource' | 'client' | 'serviceName'>>;
  consumers?: MessagingConsumerDefinition[];
  /** Exit when a consumer neither fetches nor heartbeats for this long; default 120 s, 0 disables. */
  watchdogStallMs?: number;
  /** The TypeORM DataSource name when the service has several. */
  dataSourceName?: string;
  kafkaLogLevel?: KafkaLogLevel;
  /**
   * How the service authenticates and encrypts towards the brokers: `kafkaSecurityFromSettings(config)`
   * (SCRAM or a client certificate, TLS). Unset: PLAINTEXT without authentication (local only).
   */
  security?: KafkaSecurity;
  logger?: MessagingLogger;
  /**
   * Serve `/ops/consumer-groups` (this service's consumer groups, their dead letters, and a replay
   * run by the group's own handlers, city admin only, audited). Needs @backbone/platform's
   * PlatformModule (roles, audit trail) in the application.
   */
  deadLetterOps?: boolean;
}
