// A project of its own beside libs/testing (`@backbone/testing/service-app`): it builds on
// libs/platform and libs/messaging, whose own tests use libs/testing, so keeping it in the
// base lib would make a cycle in the project graph.
import { type CloudEvent, parseEvent } from '@backbone/contracts';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createKafkaClient, inboxTransport, type KafkaClient } from '@backbone/messaging';
import {
  type ConfigClass,
  createPlatformApp,
  loadConfig,
  type PlatformConfig,
  platformTestEnv,
  type Role,
} from '@backbone/platform';
import {
  createTestDatabase,
  createTestTopics,
  signTestToken,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  testKafkaBrokers,
  type TestDatabase,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';

export interface ServiceTestAppOptions<C extends PlatformConfig> {
  /** `dossier`, ...: the database name prefix, the log field and the Kafka client id. */
  serviceName: string;
  configSchema: ConfigClass<C>;
  /** The service's root module from its configuration: `(config) => AppModule.forRoot(config)`. */
  module: (config: C) => Type<unknown> | DynamicModule;
  /** Topics created (and waited for) before the service starts, e.g. its own events topic. */
  topics?: { topic: string; numPartitions?: number }[];
  /** The service's own variables and overrides of the platform's test values. */
  env?: Record<string, string>;
  /** The service consumes events: connect the inbox transport and start it, as its main.ts does. */
  consumesEvents?: boolean;
}

export interface ServiceTestApp<C extends PlatformConfig> {
  /** Initialized, not listening: call `app.inject(...)`. */
  app: NestFastifyApplication;
  config: C;
  database: TestDatabase;
  /** A client of the test broker for the test's own producers and admin calls. */
  kafka: KafkaClient;
  /** A bearer token the service accepts (signed with this app's fresh key). */
  token(subject: string, roles: Role[], units: string[]): Promise<string>;
  /** Closes the app and drops its database. */
  close(): Promise<void>;
}

/**
 * The whole service in the test process, as it runs in production (platform, database migrated at
 * start-up, outbox relay, consumers), on a fresh database of its own and a fresh signing key.
 */
export async function startServiceTestApp<C extends PlatformConfig>(
  options: ServiceTestAppOptions<C>,
): Promise<ServiceTestApp<C>> {
  const keys = testSigningKeys();
  // Every service publishes its audit checkpoints: to a topic of this app's own, not the shared one.
  const auditEventsTopic = options.env?.AUDIT_EVENTS_TOPIC ?? uniqueName('test_audit_events');
  await createTestTopics([...(options.topics ?? []), { topic: auditEventsTopic }]);
  const database = await createTestDatabase(options.serviceName.replace(/-/g, '_'));
  try {
    const config = loadConfig(
      options.configSchema,
      platformTestEnv({
        DATABASE_URL: database.url,
        JWT_ISSUER: TEST_JWT_ISSUER,
        JWT_AUDIENCE: TEST_JWT_AUDIENCE,
        JWT_PUBLIC_KEY: keys.publicPem,
        RATE_LIMIT_MAX: '100000',
        AUDIT_EVENTS_TOPIC: auditEventsTopic,
        ...options.env,
      }),
    );
    const { app } = await createPlatformApp({
      serviceName: options.serviceName,
      config,
      module: options.module(config),
    });
    if (options.consumesEvents) {
      app.connectMicroservice(inboxTransport());
      await app.startAllMicroservices();
    }
    const kafka = createKafkaClient({
      brokers: testKafkaBrokers(),
      clientId: `${options.serviceName}-test`,
      logLevel: 'nothing',
    });
    return {
      app,
      config,
      database,
      kafka,
      token: (subject, roles, units) => signTestToken(keys.privatePem, { subject, roles, units }),
      async close() {
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The CloudEvents in records read from a topic (readTopicUntil), parsed and validated. */
export function eventsOf(records: readonly { value: Buffer | null }[]): CloudEvent[] {
  return records.map((record) => parseEvent(record.value?.toString('utf8') ?? ''));
}
