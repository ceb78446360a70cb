import { type CloudEvent, EventType, buildEvent } from '@backbone/contracts';
import { createTestTopics, eventually, testKafkaBrokers, uniqueName } from '@backbone/testing';
import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IsString } from 'class-validator';
import {
  InboxBatch,
  type InboxBatchContext,
  InboxConsumer,
  type InboxContext,
  InboxEventPattern,
  type InboxRecordMetadata,
  inboxTransport,
  type MessageProducer,
  MessagingModule,
  readDeadLetters,
  toOutgoingMessage,
} from '../src';
import { appliedCounts, orderPlaced, recordApplied, setUpTestDb, testClient, type TestDb } from './support';
import { type TestOrderPlaced, TEST_TOPIC } from './test-events';

/** A registered type the handlers below do not handle: recorded in the inbox, nothing else (as before). */
@EventType({
  type: 'test-order.shipped.v1',
  topic: TEST_TOPIC,
  producer: 'messaging-test',
  aggregate: 'test-order',
  description: 'A test order was shipped.',
})
class TestOrderShipped {
  @IsString()
  orderId!: string;
}

const MAX_ATTEMPTS = 3;

/** What the handlers saw, per event id: how often they ran and where the event came from. */
const seen = new Map<string, { calls: number; record: InboxRecordMetadata }>();
const batches: { events: string[]; positions: number }[] = [];

@InboxConsumer()
class OrderHandlers {
  @InboxEventPattern('test-order.placed.v1')
  async placed(@Payload() event: CloudEvent, @Ctx() context: InboxContext): Promise<void> {
    // Written first: a throwing handler must take it back with the inbox row.
    await recordApplied(event, context.getManager());
    seen.set(event.id, { calls: (seen.get(event.id)?.calls ?? 0) + 1, record: context.getRecord() });
    const data = event.data as TestOrderPlaced;
    if (data.behaviour === 'explode') throw new Error(`order ${data.orderId} cannot be applied`);
  }
}

@InboxConsumer()
class OrderBatchHandler {
  @InboxBatch()
  async project(@Payload() events: CloudEvent[], @Ctx() context: InboxBatchContext): Promise<void> {
    for (const event of events) await recordApplied(event, context.getManager());
    batches.push({ events: events.map((e) => e.id), positions: context.getPositions().length });
  }
}

@InboxConsumer()
class MisspeltHandler {
  @InboxEventPattern('test-order.misspelt.v1')
  async misspelt(): Promise<void> {}
}

/** A service with no HTTP: its MessagingModule consumer group, run by the inbox transport. */
function serviceModule(url: string, groupId: string, topic: string, consumer: Type): DynamicModule {
  class InboxTestService {}
  return {
    module: InboxTestService,
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url, extra: { max: 4 } }),
      MessagingModule.forRoot({
        serviceName: groupId,
        brokers: testKafkaBrokers(),
        consumers: [{ topics: [topic], maxAttempts: MAX_ATTEMPTS, initialBackoffMs: 20 }],
        kafkaLogLevel: 'nothing',
        watchdogStallMs: 0,
      }),
    ],
    controllers: [consumer],
  };
}

describe('inbox transport: @EventPattern handlers on the idempotent consumer', () => {
  let db: TestDb;
  const client = testClient('inbox-transport-test');
  let producer: MessageProducer;
  const apps: INestMicroservice[] = [];

  beforeAll(async () => {
    producer = client.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  beforeEach(async () => {
    db = await setUpTestDb('inbox_transport');
    seen.clear();
    batches.length = 0;
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await db.close();
  });

  async function startService(groupId: string, topic: string, consumer: Type): Promise<INestMicroservice> {
    const app = await NestFactory.createMicroservice(
      serviceModule(db.database.url, groupId, topic, consumer),
      {
        ...inboxTransport(),
        logger: false,
      },
    );
    apps.push(app);
    await app.listen();
    return app;
  }

  async function send(topic: string, values: (string | CloudEvent)[]): Promise<void> {
    await producer.send([
      {
        topic,
        messages: values.map((value) =>
          typeof value === 'string' ? { key: 'poison', value } : toOutgoingMessage(value),
        ),
      },
    ]);
  }

  async function caughtUp(groupId: string, topic: string): Promise<void> {
    const ends = await client.withAdmin((admin) => admin.topicOffsets(topic));
    const end = ends.reduce((sum, p) => sum + Number(p.high), 0);
    const committed = async () => {
      const offsets = await client.withAdmin((admin) => admin.committedOffsets(groupId, topic));
      return offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    };
    await eventually(async () => expect(await committed()).toBe(end), { timeoutMs: 60_000 });
  }

  it('dispatches by type with the inbox transaction in @Ctx(): commits with the inbox, retries then dead-letters a throwing handler, applies a duplicate once', async () => {
    const topic = uniqueName('test_inbox_transport');
    const groupId = uniqueName('test_inbox_transport');
    await createTestTopics([{ topic, numPartitions: 2 }]);
    const [first, second, last] = [1, 2, 3].map((n) => orderPlaced(uniqueName('order'), n));
    const exploding = orderPlaced(uniqueName('order'), 1, 'explode');
    const shipped = buildEvent(TestOrderShipped, {
      subject: first.subject,
      sequence: 2,
      unitcode: '00070',
      data: { orderId: first.subject },
    });
    const unregistered = JSON.stringify({
      ...orderPlaced(uniqueName('order'), 1),
      type: 'test-order.vanished.v1',
    });
    // `first` and its duplicate are applied before the exploding record arrives: a failing run of
    // records is rolled back whole and its good records applied again alone (their effects still
    // once), so with them in one fetch `first`'s handler could legitimately be called twice.
    await send(topic, [first, second, first]);
    await startService(groupId, topic, OrderHandlers);
    await caughtUp(groupId, topic);
    await send(topic, [exploding, shipped, unregistered, last]);
    await caughtUp(groupId, topic);

    // Each good event applied once (the duplicate of `first` skipped by the inbox); the exploding
    // handler's own write rolled back with its inbox row on every attempt.
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 3, distinct: 3 });
    const applied: { event_id: string }[] = await db.dataSource.query(`SELECT event_id FROM test_applied`);
    expect(applied.map((row) => row.event_id).sort()).toEqual([first.id, second.id, last.id].sort());
    expect(seen.get(first.id)?.calls).toBe(1);
    // Once in its run of records (the run fails), then alone MAX_ATTEMPTS times before the dead letters.
    expect(seen.get(exploding.id)?.calls).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
    expect(seen.get(exploding.id)?.calls).toBeLessThanOrEqual(MAX_ATTEMPTS + 1);

    // @Ctx() says where the event was read from: the same position the inbox recorded.
    const inbox: {
      event_id: string;
      event_type: string;
      topic: string;
      kafka_partition: number;
      kafka_offset: string;
    }[] = await db.dataSource.query(
      `SELECT event_id, event_type, topic, kafka_partition, kafka_offset::text FROM inbox WHERE consumer_group = $1`,
      [groupId],
    );
    const firstRow = inbox.find((row) => row.event_id === first.id)!;
    expect(seen.get(first.id)?.record).toEqual({
      topic,
      partition: firstRow.kafka_partition,
      offset: firstRow.kafka_offset,
      eventId: first.id,
    });
    // The type without a handler is recorded and ignored; the failed one is not recorded.
    expect(inbox.map((row) => row.event_type).sort()).toEqual([
      'test-order.placed.v1',
      'test-order.placed.v1',
      'test-order.placed.v1',
      'test-order.shipped.v1',
    ]);
    expect(inbox.some((row) => row.event_id === exploding.id)).toBe(false);

    // The handler's own error reaches the dead letters (not Nest's "Internal server error").
    const letters = await readDeadLetters({ client, groupId });
    expect(letters.map((l) => [l.reason, l.attempts, l.eventId]).sort()).toEqual([
      ['handler-failed', MAX_ATTEMPTS, exploding.id],
      ['unknown-type', 1, undefined], // not an event of the catalogue: parked before any dispatch, as before
    ]);
    expect(letters).toHaveLength(2);
    expect(letters.find((l) => l.reason === 'handler-failed')?.message).toBe(
      `order ${exploding.subject} cannot be applied`,
    );
  });

  it('records a type it has no handler for from its headers, without parsing it', async () => {
    const topic = uniqueName('test_inbox_unhandled');
    const groupId = uniqueName('test_inbox_unhandled');
    await createTestTopics([{ topic, numPartitions: 1 }]);
    const placed = orderPlaced(uniqueName('order'), 1);
    const shipped = buildEvent(TestOrderShipped, {
      subject: placed.subject,
      sequence: 2,
      unitcode: '00070',
      data: { orderId: placed.subject },
    });
    // Another group's concern: a body this group could not parse, under well-formed headers of a
    // type it has no handler for. Recorded from its headers, never decoded, not parked here.
    const unparsed = { ...toOutgoingMessage(shipped), value: '{"this is": "not a CloudEvent"' };
    // The same body under a handled type is decoded and parked, as is one whose id header is not an id.
    const brokenPlaced = {
      ...toOutgoingMessage(orderPlaced(uniqueName('order'), 1)),
      value: '{"this is": "not a CloudEvent"',
    };
    const shippedAgain = buildEvent(TestOrderShipped, {
      subject: placed.subject,
      sequence: 3,
      unitcode: '00070',
      data: { orderId: placed.subject },
    });
    const badId = toOutgoingMessage(shippedAgain);
    badId.headers = { ...badId.headers, ce_id: "x'); DROP TABLE inbox; --" };
    badId.value = '{"this is": "not a CloudEvent"';
    await producer.send([{ topic, messages: [toOutgoingMessage(placed), unparsed, brokenPlaced, badId] }]);
    await startService(groupId, topic, OrderHandlers);
    await caughtUp(groupId, topic);

    expect([...seen.keys()]).toEqual([placed.id]);
    const inbox: { event_id: string; event_type: string }[] = await db.dataSource.query(
      `SELECT event_id, event_type FROM inbox WHERE consumer_group = $1 ORDER BY kafka_offset`,
      [groupId],
    );
    expect(inbox).toEqual([
      { event_id: placed.id, event_type: 'test-order.placed.v1' },
      { event_id: shipped.id, event_type: 'test-order.shipped.v1' },
    ]);
    const letters = await readDeadLetters({ client, groupId });
    expect(letters.map((l) => l.reason)).toEqual(['invalid-json', 'invalid-json']);
  });

  it('runs an @InboxBatch() handler once per run of new events, with their positions', async () => {
    const topic = uniqueName('test_inbox_batch');
    const groupId = uniqueName('test_inbox_batch');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    const events = Array.from({ length: 60 }, (_, i) => orderPlaced(uniqueName('order'), 1 + (i % 3)));
    await send(topic, [...events, events[0], events[7]]);

    await startService(groupId, topic, OrderBatchHandler);
    await caughtUp(groupId, topic);

    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 60, distinct: 60 });
    expect(batches.every((batch) => batch.positions === batch.events.length)).toBe(true);
    expect(batches.flatMap((batch) => batch.events).sort()).toEqual(events.map((e) => e.id).sort());
    // Sent before the consumer started: the runs hold many events, not one each.
    expect(batches.length).toBeLessThan(events.length / 2);
  });

  it('refuses to listen with a pattern that is no event type', async () => {
    await expect(
      startService(uniqueName('test_inbox_misspelt'), uniqueName('test_inbox_misspelt'), MisspeltHandler),
    ).rejects.toThrow('@EventPattern("test-order.misspelt.v1") is no event type of the contracts');
  });
});
