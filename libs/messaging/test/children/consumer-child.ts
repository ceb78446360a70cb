// A consumer in its own process, so a test can SIGKILL it at an exact point.
// Env: DATABASE_URL (the test database), KAFKA_BROKERS, MESSAGING_TEST_TOPIC, GROUP_ID,
// CRASH_AFTER_DATABASE_COMMIT=1 to die between the database commit and the offset commit.
import 'reflect-metadata';
import { IdempotentConsumer } from '../../src';
import { openDataSource, recordApplied, testClient } from '../support';
import { TEST_TOPIC } from '../test-events';

async function main(): Promise<void> {
  const dataSource = await openDataSource(process.env.DATABASE_URL!);
  const consumer = new IdempotentConsumer({
    client: testClient('consumer-child'),
    dataSource,
    groupId: process.env.GROUP_ID!,
    topics: [TEST_TOPIC],
    handlers: { handle: recordApplied },
    // A SIGKILLed member holds its partitions until its session expires: keep that short.
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 1_000,
    hooks: {
      afterDatabaseCommit: () => {
        if (process.env.CRASH_AFTER_DATABASE_COMMIT === '1') process.kill(process.pid, 'SIGKILL');
      },
    },
  });
  await consumer.start();
  process.on('SIGTERM', () => {
    void consumer
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`consumer child failed: ${String(error)}\n`);
  process.exit(1);
});
