import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createKafkaClient, type KafkaClient } from '../kafka/kafka-client';
import { defaultMessagingLogger } from '../logger';
import { OutboxRelay } from '../outbox/outbox-relay';
import { ConsumerGroupRegistry } from './consumer-group-registry';
import {
  DEAD_LETTER_OPERATIONS,
  KAFKA_CLIENT,
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
} from './messaging-options';

/**
 * Starts the relay once the application is up, stops it before the DataSource closes. The consumers
 * run in the inbox transport (`inboxTransport()`), which Nest closes before the DataSource too.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private relay: OutboxRelay | undefined;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly client: KafkaClient,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { options } = this;
    const logger = options.logger ?? defaultMessagingLogger();
    const dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(options.dataSourceName) as string, {
      strict: false,
    });
    const publishes = options.publishes ?? [];
    if (publishes.length > 0) await this.client.withAdmin((admin) => admin.ensureTopics(publishes));

    if (options.relay ?? publishes.length > 0) {
      const tuning = typeof options.relay === 'object' ? options.relay : {};
      this.relay = new OutboxRelay({
        ...tuning,
        dataSource,
        client: this.client,
        serviceName: options.serviceName,
        logger,
      });
      this.relay.start();
    }
  }

  /** SIGTERM (with enableShutdownHooks) or app.close(): stop relaying. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    this.relay = undefined;
  }
}

@Module({})
export class NestMessagingModule {
  /** Global: services inject KAFKA_CLIENT where they need it (rarely: publishing goes through addToOutbox). */
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const ops = options.deadLetterOps ? deadLetterOps() : undefined;
    return {
      module: NestMessagingModule,
      global: true,
      controllers: ops ? [ops.ConsumerGroupOpsController] : [],
      providers: [
        { provide: ConsumerGroupRegistry, useValue: new ConsumerGroupRegistry() },
        ...(ops
          ? [
              ops.DeadLetterOperations,
              { provide: DEAD_LETTER_OPERATIONS, useExisting: ops.DeadLetterOperations },
            ]
          : []),
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: () =>
            createKafkaClient({
              brokers: options.brokers,
              clientId: options.serviceName,
              logLevel: options.kafkaLogLevel,
              ...options.security,
            }),
        },
        MessagingLifecycle,
      ],
      exports: [KAFKA_CLIENT, ConsumerGroupRegistry, ...(ops ? [DEAD_LETTER_OPERATIONS] : [])],
    };
  }
}

/** Loaded only when asked for: they need @backbone/platform, which plain messaging users do not load. */
function deadLetterOps() {
  /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads, see above */
  return {
    ...(require('./consumer-group-ops.controller') as typeof import('./consumer-group-ops.controller')),
    ...(require('./dead-letter-operations') as typeof import('./dead-letter-operations')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
