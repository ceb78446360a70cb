import { type CloudEvent, EVENT_HEADERS } from '@backbone/contracts';
import { createTestTopics, eventually, readTopic, uniqueName } from '@backbone/testing';
import { register } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  DEAD_LETTER_HEADERS,
  deadLetterTopicFor,
  IdempotentConsumer,
  type MessageProducer,
  readDeadLetters,
  replayDeadLetters,
  toOutgoingMessage,
} from '../src';
import { runChild } from './children/run-child';
import { appliedCounts, orderPlaced, recordApplied, setUpTestDb, testClient, type TestDb } from './support';
import { TEST_TOPIC } from './test-events';

describe('idempotent consumer, dead letters and replay', () => {
  let db: TestDb;
  const client = testClient();
  let producer: MessageProducer;
  const consumers: IdempotentConsumer[] = [];

  beforeAll(async () => {
    await createTestTopics([{ topic: TEST_TOPIC, numPartitions: 1 }]);
    producer = client.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  beforeEach(async () => {
    db = await setUpTestDb('consumer');
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await db.close();
  });

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

  async function committedOffset(groupId: string, topic: string): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.committedOffsets(groupId, topic));
    return offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  async function endOffset(topic: string): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.topicOffsets(topic));
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  it('proof 6: poison records go to <group>.dlq with reasons, later records are processed, a replay after the fix applies once', async () => {
    const topic = uniqueName('test_poison');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic }]);

    const [e1, e2, e3, e4] = [1, 2, 3, 4].map((n) => orderPlaced(uniqueName('order'), n));
    const exploding = orderPlaced(uniqueName('order'), 1, 'explode');
    const unknownType = JSON.stringify({
      ...orderPlaced(uniqueName('order'), 1),
      type: 'test-order.vanished.v1',
    });
    const invalidData = JSON.stringify({
      ...orderPlaced(uniqueName('order'), 1),
      data: { orderId: 'x', amountVnd: -5, behaviour: 'ok' },
    });
    const conflicting: CloudEvent = { ...e1, data: { ...e1.data, amountVnd: 999 } };
    await send(topic, [e1, '{not json', unknownType, invalidData, exploding, e2, e3, e1, conflicting, e4]);

    let fixed = false;
    const handlers = {
      async handle(event: CloudEvent, manager: EntityManager) {
        if ((event.data as { behaviour?: string }).behaviour === 'explode' && !fixed)
          throw new Error('cannot apply an exploding order');
        await recordApplied(event, manager);
      },
    };
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      handlers,
      maxAttempts: 3,
      initialBackoffMs: 20,
    });
    consumers.push(consumer);
    await consumer.start();

    const total = await endOffset(topic);
    expect(total).toBe(10);
    await eventually(async () => expect(await committedOffset(groupId, topic)).toBe(total), {
      timeoutMs: 60_000,
    });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 4, distinct: 4 });

    const letters = await readDeadLetters({ client, groupId });
    expect(letters.map((l) => [l.originalOffset, l.reason, l.attempts])).toEqual([
      ['1', 'invalid-json', 1],
      ['2', 'unknown-type', 1],
      ['3', 'invalid-data', 1],
      ['4', 'handler-failed', 3],
      ['8', 'id-conflict', 1],
    ]);
    for (const letter of letters) {
      expect(letter.originalTopic).toBe(topic);
      expect(letter.originalPartition).toBe(0);
      expect(letter.message).not.toBe('');
    }
    expect(letters[3].message).toContain('cannot apply an exploding order');
    expect(letters[3].eventId).toBe(exploding.id);
    const raw = await readTopic(deadLetterTopicFor(groupId), 5);
    expect(raw[3].headers[DEAD_LETTER_HEADERS.originalOffset]).toBe('4');
    expect(raw[3].headers[EVENT_HEADERS.type]).toBe('test-order.placed.v1');
    const metrics = await register.getSingleMetricAsString('kafka_dead_letters_total');
    expect(metrics).toContain(`kafka_dead_letters_total{group="${groupId}",reason="handler-failed"} 1`);

    // The fix is deployed: replay the handler failure (twice: the second is a duplicate) and a bad record.
    fixed = true;
    const replayed = await replayDeadLetters({
      client,
      groupId,
      dataSource: db.dataSource,
      handlers,
      offsets: [letters[3].offset, letters[0].offset],
    });
    expect(replayed.map((r) => [r.offset, r.outcome])).toEqual([
      [letters[0].offset, 'failed'],
      [letters[3].offset, 'applied'],
    ]);
    const again = await replayDeadLetters({
      client,
      groupId,
      dataSource: db.dataSource,
      handlers,
      eventIds: [exploding.id],
    });
    expect(again.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 5, distinct: 5 });
    const [inbox] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1`,
      [groupId],
    );
    expect(inbox.n).toBe(5);
  });

  it('batch handler mode: one call per transaction with all new events; a poison event is isolated', async () => {
    const topic = uniqueName('test_batch_mode');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic }]);
    const before = Array.from({ length: 30 }, (_, i) => orderPlaced(uniqueName('order'), i + 1));
    const poison = orderPlaced(uniqueName('order'), 1, 'explode');
    const after = Array.from({ length: 30 }, (_, i) => orderPlaced(uniqueName('order'), i + 1));
    await send(topic, [...before, poison, ...after, before[0]]);

    const calls: number[] = [];
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      maxAttempts: 2,
      initialBackoffMs: 20,
      handlers: {
        async handleBatch(events, manager) {
          if (events.some((e) => (e.data as { behaviour?: string }).behaviour === 'explode'))
            throw new Error('poison in batch');
          calls.push(events.length);
          for (const event of events) await recordApplied(event, manager);
        },
      },
    });
    consumers.push(consumer);
    await consumer.start();
    await eventually(async () => expect(await committedOffset(groupId, topic)).toBe(62), {
      timeoutMs: 60_000,
    });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 60, distinct: 60 });
    expect(calls.reduce((a, b) => a + b, 0)).toBe(60);
    const letters = await readDeadLetters({ client, groupId });
    expect(letters.map((l) => [l.eventId, l.reason])).toEqual([[poison.id, 'handler-failed']]);
  });

  it('proof 4: a consumer killed after its database commit, before its offset commit: redelivered and applied once', async () => {
    const groupId = uniqueName('test_group');
    const events = Array.from({ length: 20 }, (_, i) => orderPlaced(uniqueName('order'), i + 1));
    const startOffset = await endOffset(TEST_TOPIC);
    await send(TEST_TOPIC, events);
    const total = startOffset + events.length;

    const crashing = runChild('consumer-child.ts', {
      DATABASE_URL: db.database.url,
      MESSAGING_TEST_TOPIC: TEST_TOPIC,
      GROUP_ID: groupId,
      CRASH_AFTER_DATABASE_COMMIT: '1',
    });
    const exit = await crashing.exited;
    expect({ signal: exit.signal, output: crashing.output() }).toEqual({
      signal: 'SIGKILL',
      output: expect.any(String),
    });
    const afterCrash = await appliedCounts(db.dataSource);
    expect(afterCrash.rows).toBeGreaterThan(0);
    expect(afterCrash.rows).toBe(afterCrash.distinct);
    expect(await committedOffset(groupId, TEST_TOPIC)).toBe(0);

    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [TEST_TOPIC],
      handlers: { handle: recordApplied },
    });
    consumers.push(consumer);
    await consumer.start();
    await eventually(async () => expect(await committedOffset(groupId, TEST_TOPIC)).toBe(total), {
      timeoutMs: 60_000,
    });
    // Every record of the topic applied exactly once, including the batch the crash left uncommitted.
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: total, distinct: total });
    const duplicates = (await register.getSingleMetric('kafka_consumed_events_total')!.get()).values.find(
      (v) => v.labels.group === groupId && v.labels.outcome === 'duplicate',
    );
    expect(duplicates?.value).toBe(afterCrash.rows);
  });
});
