import { EVENT_HEADERS } from '@backbone/contracts';
import { createTestTopics, eventually, readTopic, uniqueName } from '@backbone/testing';
import { register } from 'prom-client';
import { addToOutbox, OutboxRelay } from '../src';
import { orderPlaced, placeOrder, setUpTestDb, subjectsInOrder, testClient, type TestDb } from './support';
import { TEST_TOPIC } from './test-events';

describe('transactional outbox and relay', () => {
  let db: TestDb;
  const client = testClient();
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    await createTestTopics([{ topic: TEST_TOPIC, numPartitions: 6 }]);
  });

  beforeEach(async () => {
    db = await setUpTestDb('outbox');
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await db.close();
  });

  function startRelay(overrides: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      client,
      serviceName: 'outbox-test',
      pollIntervalMs: 500,
      ...overrides,
    });
    relays.push(relay);
    relay.start();
    return relay;
  }

  async function pendingRows(): Promise<number> {
    const [row] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    return row.n;
  }

  it('proof 1: a committed change publishes its event, a rolled-back one publishes nothing', async () => {
    // Topic offsets before: this file's topic is shared by its tests, so count what this test adds.
    const before = await readTopic(TEST_TOPIC, 0);
    startRelay();
    const committed = orderPlaced(uniqueName('order'), 1);
    await db.dataSource.transaction((manager) => placeOrder(manager, committed));
    const rolledBack = orderPlaced(uniqueName('order'), 1);
    await expect(
      db.dataSource.transaction(async (manager) => {
        await placeOrder(manager, rolledBack);
        throw new Error('business rule failed after the event was added');
      }),
    ).rejects.toThrow('business rule failed');

    await eventually(async () => expect(await pendingRows()).toBe(0));
    const records = (await readTopic(TEST_TOPIC, before.length + 1)).slice(before.length);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record.key).toBe(committed.subject);
    expect(record.headers[EVENT_HEADERS.type]).toBe('test-order.placed.v1');
    expect(record.headers[EVENT_HEADERS.id]).toBe(committed.id);
    expect(JSON.parse(record.value!.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(committed)));
    const [orders] = await db.dataSource.query(`SELECT count(*)::int AS n FROM test_orders`);
    expect(orders.n).toBe(1);
    const [outbox] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(outbox.n).toBe(1);
  });

  it('refuses to add to the outbox outside a transaction', async () => {
    await expect(placeOrder(db.dataSource.manager, orderPlaced(uniqueName('order'), 1))).rejects.toThrow(
      /inside the transaction/,
    );
  });

  it('proof 7: a transaction held open 5 s while others commit is published after it commits; nothing skipped', async () => {
    const topic = uniqueName('test_late_commit');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    startRelay({ pollIntervalMs: 200 });

    const late = orderPlaced(uniqueName('late'), 1);
    const lateRunner = db.dataSource.createQueryRunner();
    await lateRunner.connect();
    await lateRunner.startTransaction();
    const heldSince = Date.now();
    await lateRunner.manager.query(`INSERT INTO test_orders (id, amount_vnd) VALUES ($1, 1)`, [late.subject]);
    await addToOutbox(lateRunner.manager, [late], { topic });

    // Others commit after the late row took its position, and get published meanwhile.
    const others = Array.from({ length: 40 }, (_, i) => orderPlaced(uniqueName(`early${i}`), 1));
    for (const event of others) {
      await db.dataSource.transaction((manager) => addToOutbox(manager, [event], { topic }));
    }
    const early = await readTopic(topic, others.length);
    expect(early).toHaveLength(others.length);

    // The scenario itself: the transaction stays open for 5 s in total.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5_000 - (Date.now() - heldSince))));
    await lateRunner.commitTransaction();
    await lateRunner.release();

    const all = await readTopic(topic, others.length + 1);
    expect(all).toHaveLength(others.length + 1);
    const ids = all.map((record) => record.headers[EVENT_HEADERS.id]);
    expect(new Set(ids).size).toBe(others.length + 1);
    expect(ids).toContain(late.id);
    expect(await pendingRows()).toBe(0);
  });

  it('several relays keep every key in order and publish each row once', async () => {
    const topic = uniqueName('test_multi_relay');
    await createTestTopics([{ topic, numPartitions: 6 }]);
    const keys = Array.from({ length: 60 }, (_, i) => uniqueName(`key${i}`));
    const perKey = 25;
    // A backlog where each key's rows span two relay batches, then some more written while the
    // relays run: without lane locks, two relays publish one key's halves concurrently.
    for (const key of keys.slice(0, 40)) {
      const events = Array.from({ length: perKey }, (_, i) => orderPlaced(key, i + 1));
      await db.dataSource.transaction((manager) => addToOutbox(manager, events, { topic }));
    }
    for (let i = 0; i < 3; i += 1) startRelay({ batchSize: 20, maxLanesPerCycle: 6, pollIntervalMs: 100 });
    await Promise.all(
      keys.slice(40).map(async (key) => {
        for (let sequence = 1; sequence <= perKey; sequence += 1) {
          await db.dataSource.transaction((manager) =>
            addToOutbox(manager, [orderPlaced(key, sequence)], { topic }),
          );
        }
      }),
    );
    const total = keys.length * perKey;
    const records = await readTopic(topic, total);
    expect(records).toHaveLength(total);
    const bySubject = subjectsInOrder(records);
    expect(bySubject.size).toBe(keys.length);
    const expected = Array.from({ length: perKey }, (_, i) => i + 1);
    for (const sequences of bySubject.values()) expect(sequences).toEqual(expected);
    expect(await pendingRows()).toBe(0);
  });

  it('reports backlog metrics and prunes published rows after the retention period', async () => {
    const topic = uniqueName('test_prune');
    await createTestTopics([{ topic }]);
    await db.dataSource.transaction((manager) =>
      addToOutbox(manager, [orderPlaced(uniqueName('a'), 1), orderPlaced(uniqueName('b'), 1)], { topic }),
    );
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      client,
      serviceName: 'outbox-metrics-test',
      retentionMs: 1,
    });
    const metrics = await relay.updateMetrics();
    expect(metrics.backlog).toBe(2);
    expect(metrics.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    const exposed = await register.getSingleMetricAsString('outbox_backlog_messages');
    expect(exposed).toContain('outbox_backlog_messages{service="outbox-metrics-test"} 2');

    relays.push(relay);
    relay.start();
    await eventually(async () => expect(await pendingRows()).toBe(0));
    await eventually(async () => {
      await relay.prunePublished();
      const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
      expect(row.n).toBe(0);
    });
    expect((await relay.updateMetrics()).backlog).toBe(0);
  });
});
