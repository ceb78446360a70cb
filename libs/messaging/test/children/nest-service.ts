// A minimal Nest service using MessagingModule, run as its own process so the test can send it
// SIGTERM (Nest is ESM-only and loads natively here, not under jest).
// Env: DATABASE_URL, KAFKA_BROKERS, MESSAGING_TEST_TOPIC, GROUP_ID, EVENTS_TO_PLACE.
import 'reflect-metadata';
import type { CloudEvent } from '@backbone/contracts';
import { testKafkaBrokers, uniqueName } from '@backbone/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  InboxConsumer,
  type InboxContext,
  InboxEventPattern,
  inboxTransport,
  messagingMigrations,
  MessagingModule,
} from '../../src';
import { CreateTestTables1764100009999, orderPlaced, placeOrder, recordApplied } from '../support';
import { TEST_TOPIC } from '../test-events';

@InboxConsumer()
class OrderProjector {
  @InboxEventPattern('test-order.placed.v1')
  async project(@Payload() event: CloudEvent, @Ctx() context: InboxContext) {
    await recordApplied(event, context.getManager());
    process.stdout.write(`applied ${event.id}\n`);
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      migrations: [...messagingMigrations, CreateTestTables1764100009999],
      migrationsRun: true,
    }),
    MessagingModule.forRoot({
      serviceName: process.env.GROUP_ID!,
      brokers: testKafkaBrokers(),
      publishes: [{ topic: TEST_TOPIC, numPartitions: 2 }],
      consumers: [{ topics: [TEST_TOPIC] }],
      kafkaLogLevel: 'nothing',
      relay: { pollIntervalMs: 200 },
    }),
  ],
  controllers: [OrderProjector],
})
class TestServiceModule {}

async function main(): Promise<void> {
  // A service without HTTP: the inbox transport is the application (its consumer group is MessagingModule's).
  const app = await NestFactory.createMicroservice(TestServiceModule, {
    ...inboxTransport(),
    logger: ['error'],
  });
  app.enableShutdownHooks();
  await app.listen();
  const dataSource = app.get<DataSource>(getDataSourceToken() as string);
  const count = Number(process.env.EVENTS_TO_PLACE ?? 0);
  for (let i = 0; i < count; i += 1) {
    const event = orderPlaced(uniqueName('order'), 1);
    await dataSource.transaction((manager) => placeOrder(manager, event));
  }
  process.stdout.write(`ready\n`);
}

main().catch((error) => {
  process.stderr.write(`nest service failed: ${String(error)}\n`);
  process.exit(1);
});
