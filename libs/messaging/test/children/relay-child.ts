// An outbox relay in its own process, so a test can SIGKILL it at an exact point.
// Env: DATABASE_URL, KAFKA_BROKERS, RELAY_BATCH_SIZE, KILL_AFTER_PUBLISH=1 to die after Kafka
// acknowledged the first batch and before the rows are marked published.
import 'reflect-metadata';
import { OutboxRelay } from '../../src';
import { openDataSource, testClient } from '../support';

async function main(): Promise<void> {
  const dataSource = await openDataSource(process.env.DATABASE_URL!);
  const relay = new OutboxRelay({
    dataSource,
    client: testClient('relay-child'),
    serviceName: 'relay-child',
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 1000),
    // One cycle at a time, so "the first batch" is exactly one batch.
    concurrency: 1,
    hooks: {
      afterPublish: (positions) => {
        process.stdout.write(`published ${positions.length}\n`);
        if (process.env.KILL_AFTER_PUBLISH === '1') process.kill(process.pid, 'SIGKILL');
      },
    },
  });
  relay.start();
}

main().catch((error) => {
  process.stderr.write(`relay child failed: ${String(error)}\n`);
  process.exit(1);
});
