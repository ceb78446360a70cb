import { createTestTopics, eventually, uniqueName } from '@backbone/testing';
import { type BatchConsumer, IdempotentConsumer, type KafkaClient, toOutgoingMessage } from '../src';
import { orderPlaced, setUpTestDb, testClient, type TestDb } from './support';

describe('consumer watchdog', () => {
  let db: TestDb;
  const client = testClient();

  beforeAll(async () => {
    db = await setUpTestDb('watchdog');
  });

  afterAll(async () => {
    await db.close();
  });

  it('exits with one clear line when the consumer stops fetching and heartbeating', async () => {
    const topic = uniqueName('test_watchdog');
    await createTestTopics([{ topic }]);
    const producer = client.producer();
    await producer.connect();
    await producer.send([{ topic, messages: [toOutgoingMessage(orderPlaced(uniqueName('order'), 1))] }]);
    await producer.disconnect();

    // A handler stuck forever stands in for a client hung after a network loss: no fetch, no heartbeat.
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const exits: number[] = [];
    const lines: string[] = [];
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId: uniqueName('test_group'),
      topics: [topic],
      handlers: { handle: () => stuck },
      watchdog: { stallTimeoutMs: 4_000, exit: (code) => exits.push(code) },
      logger: { info: () => undefined, warn: () => undefined, error: (line) => lines.push(line) },
    });
    await consumer.start();
    try {
      await eventually(() => expect(exits).toEqual([70]), { timeoutMs: 30_000 });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^consumer test_group_\S+ has neither fetched nor heartbeated for \d+ s \(limit 4 s\)/,
      );
    } finally {
      release();
      await consumer.stop();
    }
  });

  it('exits when the client fetches and heartbeats but hands over no batch while records wait', async () => {
    const topic = uniqueName('test_watchdog_backlog');
    await createTestTopics([{ topic, numPartitions: 2 }]);
    const producer = client.producer();
    await producer.connect();
    const messages = Array.from({ length: 5 }, (_, i) =>
      toOutgoingMessage(orderPlaced(uniqueName('order'), i + 1)),
    );
    await producer.send([{ topic, messages }]);
    await producer.disconnect();

    // Stands in for kafkajs after a crash-restart seen in the fault suite: the real client joins,
    // fetches and heartbeats, but no batch reaches the consumer and nothing is committed.
    const handsOverNothing: KafkaClient = {
      ...client,
      consumer(options) {
        const real = client.consumer(options);
        const silent: BatchConsumer = {
          ...real,
          connect: () => real.connect(),
          disconnect: () => real.disconnect(),
          assignedPartitions: () => real.assignedPartitions(),
          run: () =>
            real.run(async (batch) => {
              await batch.heartbeat();
            }),
          onActivity: (listener) =>
            real.onActivity((activity, detail) => {
              if (activity !== 'batch-start' && activity !== 'batch-end') listener(activity, detail);
            }),
        };
        return silent;
      },
    };
    const exits: number[] = [];
    const lines: string[] = [];
    const applied: string[] = [];
    const consumer = new IdempotentConsumer({
      client: handsOverNothing,
      dataSource: db.dataSource,
      groupId: uniqueName('test_group'),
      topics: [topic],
      handlers: { handle: async (event) => void applied.push(event.id) },
      watchdog: { stallTimeoutMs: 4_000, exit: (code) => exits.push(code) },
      logger: { info: () => undefined, warn: () => undefined, error: (line) => lines.push(line) },
    });
    await consumer.start();
    try {
      await eventually(() => expect(exits).toEqual([70]), { timeoutMs: 30_000 });
      expect(applied).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^consumer test_group_\S+ has applied nothing for \d+ s \(limit 4 s\) while 5 record\(s\) wait in its partitions/,
      );
    } finally {
      await consumer.stop();
    }
  });

  it('stays while a caught-up consumer has nothing to do', async () => {
    const topic = uniqueName('test_watchdog_idle');
    await createTestTopics([{ topic }]);
    const producer = client.producer();
    await producer.connect();
    await producer.send([{ topic, messages: [toOutgoingMessage(orderPlaced(uniqueName('order'), 1))] }]);
    await producer.disconnect();
    const exits: number[] = [];
    const lines: string[] = [];
    const applied: string[] = [];
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId: uniqueName('test_group'),
      topics: [topic],
      handlers: { handle: async (event) => void applied.push(event.id) },
      // Above the fetch's 5 s wait: an idle client fetches once per wait.
      watchdog: { stallTimeoutMs: 6_000, exit: (code) => exits.push(code) },
      logger: { info: () => undefined, warn: () => undefined, error: (line) => lines.push(line) },
    });
    await consumer.start();
    try {
      await eventually(() => expect(applied).toHaveLength(1), { timeoutMs: 30_000 });
      // Two stall periods and more idle with nothing waiting: asked the broker, found 0, stayed.
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      expect(lines).toEqual([]);
      expect(exits).toEqual([]);
    } finally {
      await consumer.stop();
    }
  });
});
