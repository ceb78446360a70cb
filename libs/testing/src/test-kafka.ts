import { Kafka, logLevel } from 'kafkajs';

/** Brokers provided by the integration set-up (tools/jest/global-setup.ts). */
export function testKafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests through `npm test` (its global set-up provides it).',
    );
  }
  return brokers.split(',').map((broker) => broker.trim());
}

/** Creates topics for one test run and waits until every partition has a leader. */
export async function createTestTopics(topics: { topic: string; numPartitions?: number }[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'test-setup',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(({ topic, numPartitions }) => ({
        topic,
        numPartitions: numPartitions ?? 1,
        // The broker's default: 1 on a single node, 3 on the three-node cluster (KAFKA_NODES=3).
        replicationFactor: -1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
