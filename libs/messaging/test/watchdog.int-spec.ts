import { createTestTopics, eventually, uniqueName } from '@backbone/testing';
import { IdempotentConsumer, toOutgoingMessage } from '../src';
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
});
