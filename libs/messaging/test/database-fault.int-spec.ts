import { createTestTopics, databaseUrlFor, eventually, testServerUrl, uniqueName } from '@backbone/testing';
import { Client } from 'pg';
import { IdempotentConsumer, type MessageProducer, readDeadLetters, toOutgoingMessage } from '../src';
import { appliedCounts, orderPlaced, recordApplied, setUpTestDb, testClient, type TestDb } from './support';

/**
 * Issue 11: a transient database fault while consuming must never send events to the dead
 * letters. The PostgreSQL cluster is shared, so the fault is confined to this test's database:
 * it is made read-only (new sessions get `default_transaction_read_only`) and its sessions are
 * terminated, the way a failover leaves a service connected to a standby: 57P01 on the open
 * connections, then 25006 on every write for as long as it lasts.
 */
describe('a database fault during consumption', () => {
  let db: TestDb;
  const client = testClient();
  let producer: MessageProducer;
  let consumer: IdempotentConsumer | undefined;

  async function onServer(sql: string, params: unknown[] = []): Promise<void> {
    const admin = new Client({ connectionString: databaseUrlFor(testServerUrl(), 'postgres') });
    await admin.connect();
    try {
      await admin.query(sql, params);
    } finally {
      await admin.end();
    }
  }

  async function setReadOnly(readOnly: boolean): Promise<void> {
    const name = db.database.name;
    await onServer(
      readOnly
        ? `ALTER DATABASE "${name}" SET default_transaction_read_only = on`
        : `ALTER DATABASE "${name}" RESET default_transaction_read_only`,
    );
    // Only when it turns read-only: the sessions opened during the fault stay read-only after it,
    // as connections to a demoted primary would, and the consumer must replace them itself.
    if (readOnly)
      await onServer(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
  }

  beforeAll(async () => {
    producer = client.producer();
    await producer.connect();
    db = await setUpTestDb('db_fault');
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer.disconnect();
    await setReadOnly(false).catch(() => undefined);
    await db.close();
  });

  async function committed(groupId: string, topic: string): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.committedOffsets(groupId, topic));
    return offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  it('read-only for 20 s: nothing in the dead letters, every event applied once', async () => {
    const topic = uniqueName('test_db_fault');
    const groupId = uniqueName('test_group');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    const send = (count: number) =>
      producer.send([
        {
          topic,
          messages: Array.from({ length: count }, (_, i) =>
            toOutgoingMessage(orderPlaced(uniqueName('order'), i + 1)),
          ),
        },
      ]);

    consumer = new IdempotentConsumer({
      client,
      dataSource: db.dataSource,
      groupId,
      topics: [topic],
      handlers: { handle: recordApplied },
      maxAttempts: 3,
      initialBackoffMs: 100,
      maxBackoffMs: 2_000,
    });
    await consumer.start();
    await send(30);
    await eventually(async () => expect(await committed(groupId, topic)).toBe(30), { timeoutMs: 60_000 });

    await setReadOnly(true);
    await send(30);
    const faultEnds = Date.now() + 20_000;
    // During the fault the lag shows: the new records are neither applied nor committed.
    await new Promise((resolve) => setTimeout(resolve, faultEnds - Date.now()));
    expect(await committed(groupId, topic)).toBe(30);
    await setReadOnly(false);

    await eventually(async () => expect(await committed(groupId, topic)).toBe(60), { timeoutMs: 60_000 });
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 60, distinct: 60 });
    expect(await readDeadLetters({ client, groupId })).toEqual([]);
  }, 150_000);
});
