import { createTestTopics, eventually, uniqueName } from '@backbone/testing';
import {
  IdempotentConsumer,
  type IdempotentConsumerOptions,
  type MessageProducer,
  pruneInbox,
  toOutgoingMessage,
} from '../src';
import { appliedCounts, orderPlaced, recordApplied, setUpTestDb, testClient, type TestDb } from './support';

/**
 * Issue 11, double counting after offsets are lost: a group whose committed offsets expired (or a
 * renamed group) reads its topics from the beginning again, while the inbox rows older than the
 * inbox retention are gone. The applied-offset mark must keep every old event from counting twice.
 */
describe('applied-offset mark', () => {
  let db: TestDb;
  const client = testClient();
  let producer: MessageProducer;
  const running: IdempotentConsumer[] = [];

  beforeAll(async () => {
    producer = client.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  beforeEach(async () => {
    db = await setUpTestDb('applied_offset');
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
    await db.close();
  });

  async function send(topic: string, count: number): Promise<void> {
    await producer.send([
      {
        topic,
        messages: Array.from({ length: count }, (_, i) =>
          toOutgoingMessage(orderPlaced(uniqueName('order'), i + 1)),
        ),
      },
    ]);
  }

  async function committed(groupId: string, topic: string): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.committedOffsets(groupId, topic));
    return offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  async function consume(
    groupId: string,
    topic: string,
    untilCommitted: number,
    extra: Partial<IdempotentConsumerOptions> = {},
  ): Promise<IdempotentConsumer> {
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      handlers: { handle: recordApplied },
      ...extra,
    });
    running.push(consumer);
    await consumer.start();
    await eventually(async () => expect(await committed(groupId, topic)).toBe(untilCommitted), {
      timeoutMs: 60_000,
    });
    return consumer;
  }

  async function stop(consumer: IdempotentConsumer): Promise<void> {
    await consumer.stop();
    running.splice(running.indexOf(consumer), 1);
  }

  it("the group's offsets deleted and the inbox pruned: a restart applies no old event again", async () => {
    const topic = uniqueName('test_offsets_lost');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    await send(topic, 40);
    await stop(await consume(groupId, topic, 40));
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 40, distinct: 40 });

    // Offset retention expired (here: the group deleted), inbox retention ran (here: everything
    // older than now, which keeps only the newest row per partition).
    await eventually(() => client.withAdmin((admin) => admin.deleteGroups([groupId])), { timeoutMs: 30_000 });
    expect(await committed(groupId, topic)).toBe(0);
    expect(await pruneInbox(db.dataSource, { retentionMs: 0 })).toBeGreaterThanOrEqual(37);

    await send(topic, 10);
    await consume(groupId, topic, 50);
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 50, distinct: 50 });
  }, 120_000);

  it('a renamed group skips what the database applied under the old name', async () => {
    const topic = uniqueName('test_group_renamed');
    await createTestTopics([{ topic, numPartitions: 2 }]);
    await send(topic, 20);
    await stop(await consume(uniqueName('test_group'), topic, 20));
    await pruneInbox(db.dataSource, { retentionMs: 0 });

    await send(topic, 5);
    await consume(uniqueName('test_group_renamed'), topic, 25);
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 25, distinct: 25 });
  }, 120_000);

  it('a mark past the end of the log (the topic was recreated) does not swallow the new records', async () => {
    const topic = uniqueName('test_recreated');
    await createTestTopics([{ topic, numPartitions: 1 }]);
    // What the old log of the same name left: applied up to offset 999.
    await db.dataSource.query(
      `INSERT INTO consumer_applied_offset (scope, topic, kafka_partition, applied_offset, consumer_group)
       VALUES ('database', $1, 0, 999, 'before-the-recreation')`,
      [topic],
    );
    await send(topic, 5);
    await consume(uniqueName('test_group'), topic, 5);
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 5, distinct: 5 });
    const [mark] = await db.dataSource.query(
      `SELECT applied_offset::int AS offset FROM consumer_applied_offset WHERE topic = $1`,
      [topic],
    );
    expect(mark).toEqual({ offset: 4 });
  }, 120_000);

  it('consumers with their own scopes in one database each apply the topic', async () => {
    const topic = uniqueName('test_two_scopes');
    await createTestTopics([{ topic, numPartitions: 1 }]);
    await send(topic, 6);
    await consume(uniqueName('test_group'), topic, 6, { appliedOffsets: { scope: 'first' } });
    await consume(uniqueName('test_group'), topic, 6, { appliedOffsets: { scope: 'second' } });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 12, distinct: 6 });
  }, 120_000);
});
