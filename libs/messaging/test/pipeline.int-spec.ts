import type { CloudEvent } from '@backbone/contracts';
import { createTestTopics, eventually, readTopic, uniqueName } from '@backbone/testing';
import { register } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { addToOutbox, type ConsumerHandlers, IdempotentConsumer, OutboxRelay } from '../src';
import { runChild } from './children/run-child';
import {
  appliedCounts,
  orderPlaced,
  recordApplied,
  setUpTestDb,
  subjectsInOrder,
  testClient,
  type TestDb,
} from './support';

/** A projection handler that also checks, per key, that sequences arrive in order and without gaps. */
function orderCheckingHandler(): { handlers: ConsumerHandlers; violations: string[] } {
  const last = new Map<string, number>();
  const violations: string[] = [];
  return {
    violations,
    handlers: {
      async handleBatch(events: CloudEvent[], manager: EntityManager) {
        const seen = new Map<string, number>();
        for (const event of events) {
          const previous = seen.get(event.subject) ?? last.get(event.subject) ?? 0;
          if (event.sequence !== previous + 1)
            violations.push(`${event.subject}: ${event.sequence} after ${previous}`);
          seen.set(event.subject, event.sequence);
          await recordApplied(event, manager);
        }
        // Only what committed counts: the transaction commits after this returns.
        for (const [subject, sequence] of seen) last.set(subject, sequence);
      },
    },
  };
}

function duplicatesSeen(groupId: string): Promise<number> {
  return register
    .getSingleMetric('kafka_consumed_events_total')!
    .get()
    .then(
      (metric) =>
        metric.values.find((v) => v.labels.group === groupId && v.labels.outcome === 'duplicate')?.value ?? 0,
    );
}

describe('outbox → Kafka → inbox pipeline', () => {
  let db: TestDb;
  const client = testClient();
  const stoppables: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    db = await setUpTestDb('pipeline');
  });

  afterEach(async () => {
    await Promise.all(stoppables.splice(0).map((s) => s.stop()));
    await db.close();
  });

  it('proof 2: 20,000 events over 12 partitions and 500 keys arrive with every key in order, each applied once', async () => {
    const topic = uniqueName('test_volume');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic, numPartitions: 12 }]);
    const keys = Array.from({ length: 500 }, (_, i) => uniqueName(`aggregate${i}`));
    const perKey = 40;

    for (let i = 0; i < 2; i += 1) {
      const relay = new OutboxRelay({
        dataSource: db.dataSource,
        client,
        serviceName: 'pipeline-test',
        batchSize: 1000,
      });
      relay.start();
      stoppables.push(relay);
    }
    const { handlers, violations } = orderCheckingHandler();
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      handlers,
      partitionsConsumedConcurrently: 3,
    });
    stoppables.push(consumer);
    await consumer.start();

    // 40 transactions of 500 events (one per key), written while the relays and the consumer run.
    for (let sequence = 1; sequence <= perKey; sequence += 1) {
      const events = keys.map((key) => orderPlaced(key, sequence));
      await db.dataSource.transaction((manager) => addToOutbox(manager, events, { topic }));
    }
    const total = keys.length * perKey;
    await eventually(async () => expect((await appliedCounts(db.dataSource)).rows).toBe(total), {
      timeoutMs: 110_000,
      intervalMs: 500,
    });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: total, distinct: total });
    expect(violations).toEqual([]);

    const records = await readTopic(topic, total);
    expect(records).toHaveLength(total);
    expect(new Set(records.map((r) => r.partition)).size).toBe(12);
    const bySubject = subjectsInOrder(records);
    const expected = Array.from({ length: perKey }, (_, i) => i + 1);
    expect(
      [...bySubject.values()].filter((sequences) => JSON.stringify(sequences) !== JSON.stringify(expected)),
    ).toEqual([]);
  }, 180_000);

  it('proof 3: relay SIGKILLed after Kafka acknowledged a batch, before marking it: duplicates on Kafka, each event applied once', async () => {
    const topic = uniqueName('test_relay_kill');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    const keys = Array.from({ length: 20 }, (_, i) => uniqueName(`aggregate${i}`));
    for (let sequence = 1; sequence <= 10; sequence += 1) {
      await db.dataSource.transaction((manager) =>
        addToOutbox(
          manager,
          keys.map((key) => orderPlaced(key, sequence)),
          { topic },
        ),
      );
    }
    const total = 200;

    const killed = runChild('relay-child.ts', {
      DATABASE_URL: db.database.url,
      RELAY_BATCH_SIZE: '50',
      KILL_AFTER_PUBLISH: '1',
    });
    const exit = await killed.exited;
    expect({ signal: exit.signal, output: killed.output() }).toEqual({
      signal: 'SIGKILL',
      output: 'published 50\n',
    });
    const [pending] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    expect(pending.n).toBe(total);
    expect(await readTopic(topic, 50)).toHaveLength(50);

    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      client,
      serviceName: 'pipeline-test',
      batchSize: 50,
    });
    relay.start();
    stoppables.push(relay);
    const records = await readTopic(topic, total + 50);
    expect(records).toHaveLength(total + 50);
    expect(new Set(records.map((r) => r.headers.ce_id)).size).toBe(total);

    const { handlers, violations } = orderCheckingHandler();
    // Per-key order holds even with the republished batch: a duplicate is skipped, not re-applied.
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      handlers,
    });
    stoppables.push(consumer);
    await consumer.start();
    await eventually(async () => expect(await duplicatesSeen(groupId)).toBe(50), { timeoutMs: 60_000 });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: total, distinct: total });
    expect(violations).toEqual([]);
  });
});
