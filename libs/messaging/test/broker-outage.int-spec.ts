import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually, uniqueName } from '@backbone/testing';
// This test stops and restarts a broker: its OWN one, through the same scripts as the shared
// broker (tools/infra/kafka-local.ts runs infra/kafka/start.sh and stop.sh), never the shared one.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test-only use of the infra scripts' wrapper
import { type LocalKafka, startLocalKafka } from '../../../tools/infra/kafka-local';
import { addToOutbox, createKafkaClient, IdempotentConsumer, OutboxRelay } from '../src';
import { appliedCounts, orderPlaced, recordApplied, setUpTestDb, type TestDb } from './support';

const repoRoot = resolve(__dirname, '../../..');

describe('broker outage', () => {
  let db: TestDb;
  const port = 21000 + Math.floor(Math.random() * 400) * 2;
  const dataDir = resolve(repoRoot, '.data', `test-kafka-messaging-${port}`);
  let broker: LocalKafka | undefined;

  beforeAll(async () => {
    db = await setUpTestDb('outage');
    broker = await startLocalKafka({ port, dataDir, heap: '256m' });
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await db.close();
  }, 60_000);

  it('proof 5: the broker stopped for 20 s mid-stream and restarted: relay and consumer recover unaided, nothing lost or applied twice', async () => {
    const client = createKafkaClient({
      brokers: [`127.0.0.1:${port}`],
      clientId: 'outage-test',
      logLevel: 'nothing',
    });
    const topic = uniqueName('test_outage');
    await client.withAdmin((admin) => admin.ensureTopics([{ topic, numPartitions: 3 }]));

    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      client,
      serviceName: 'outage-test',
      batchSize: 200,
    });
    const consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId: uniqueName('test_group'),
      topics: [topic],
      handlers: { handle: recordApplied },
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
    });
    relay.start();
    await consumer.start();

    // A steady stream of small transactions over 10 keys while the broker goes away and comes back.
    const keys = Array.from({ length: 10 }, (_, i) => uniqueName(`aggregate${i}`));
    const sequences = new Map(keys.map((key) => [key, 0]));
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const events = keys.map((key) => {
          const sequence = sequences.get(key)! + 1;
          sequences.set(key, sequence);
          return orderPlaced(key, sequence);
        });
        await db.dataSource.transaction((manager) => addToOutbox(manager, events, { topic }));
        written += events.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await eventually(
        async () => expect((await appliedCounts(db.dataSource)).rows).toBeGreaterThanOrEqual(200),
        { timeoutMs: 60_000 },
      );

      await broker!.stop();
      const writtenAtStop = written;
      // The outage itself: 20 s without a broker while the service keeps committing.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      expect(written).toBeGreaterThan(writtenAtStop);
      broker = await startLocalKafka({ port, dataDir, heap: '256m' });
      const writtenAtRestart = written;
      await eventually(
        async () => expect((await appliedCounts(db.dataSource)).rows).toBeGreaterThan(writtenAtRestart),
        {
          timeoutMs: 120_000,
          intervalMs: 500,
        },
      );
    } finally {
      writing = false;
      await writer;
    }
    await eventually(async () => expect((await appliedCounts(db.dataSource)).rows).toBe(written), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    // Per-key order of application: rows are stamped with clock_timestamp() as they are applied.
    const [gaps] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT subject, sequence, row_number() OVER (PARTITION BY subject ORDER BY applied_at) AS position FROM test_applied
       ) ordered WHERE sequence <> position`,
    );
    expect(gaps.n).toBe(0);
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: written, distinct: written });
    await consumer.stop();
    await relay.stop();
  }, 300_000);
});
