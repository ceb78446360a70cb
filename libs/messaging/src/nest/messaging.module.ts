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
import type { ConsumerHandlers } from '../consumer/handlers';
import { IdempotentConsumer } from '../consumer/idempotent-consumer';
import { createKafkaClient, type KafkaClient } from '../kafka/kafka-client';
import { defaultMessagingLogger } from '../logger';
import { OutboxRelay } from '../outbox/outbox-relay';
import { KAFKA_CLIENT, MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

/** Starts the relay and the consumers once the application is up, stops them before the DataSource closes. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private relay: OutboxRelay | undefined;
  private consumers: IdempotentConsumer[] = [];

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
    for (const definition of options.consumers ?? []) {
      const { handler, groupId, topics, ...tuning } = definition;
      const consumer = new IdempotentConsumer({
        ...tuning,
        client: this.client,
        dataSource,
        groupId: groupId ?? options.serviceName,
        topics,
        handlers: bindHandlers(this.moduleRef.get(handler, { strict: false })),
        watchdog: { stallTimeoutMs: options.watchdogStallMs ?? 120_000 },
        logger,
      });
      await consumer.start();
      this.consumers.push(consumer);
    }
  }

  /** SIGTERM (with enableShutdownHooks) or app.close(): stop fetching, finish and commit the batch, disconnect. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    await this.relay?.stop();
    this.relay = undefined;
  }
}

/** Handler classes are called as functions by the consumer: keep `this` bound to the instance. */
function bindHandlers(instance: ConsumerHandlers): ConsumerHandlers {
  return {
    ...(instance.handle ? { handle: instance.handle.bind(instance) } : {}),
    ...(instance.handleBatch ? { handleBatch: instance.handleBatch.bind(instance) } : {}),
  };
}

@Module({})
export class NestMessagingModule {
  /** Global: services inject KAFKA_CLIENT where they need it (rarely: publishing goes through addToOutbox). */
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: NestMessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: () =>
            createKafkaClient({
              brokers: options.brokers,
              clientId: options.serviceName,
              logLevel: options.kafkaLogLevel,
              sasl: options.sasl,
            }),
        },
        MessagingLifecycle,
      ],
      exports: [KAFKA_CLIENT],
    };
  }
}
