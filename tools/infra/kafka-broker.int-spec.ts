import { resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { createTestTopics, eventually, testKafkaBrokers, uniqueName } from '@backbone/testing';
import { brokerPid, startLocalKafka } from './kafka-local';
import { applyTopics, loadTopicDeclarations } from './topics';
import { repoRoot } from './paths';

/**
 * The broker the test set-up provides answers the protocol versions kafkajs speaks (Kafka 4
 * removed old ones): admin, idempotent produce, and a consumer group (JoinGroup/SyncGroup).
 */
describe('Kafka broker with kafkajs', () => {
  const kafka = new Kafka({
    clientId: 'foundation-test',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });

  it('creates a topic, produces idempotently and consumes in a consumer group, in key order', async () => {
    const topic = uniqueName('foundation');
    await createTestTopics([{ topic, numPartitions: 3 }]);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 7}`, value: String(i) }));
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('foundation_group') });
    const received: { key: string; value: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: String(message.key), value: Number(message.value) });
      },
    });
    try {
      await eventually(() => expect(received).toHaveLength(300), { timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    for (let k = 0; k < 7; k++) {
      const values = received.filter((m) => m.key === `k${k}`).map((m) => m.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(300);
  });

  it('applies the declared topics idempotently', async () => {
    const declarations = loadTopicDeclarations();
    await applyTopics(testKafkaBrokers(), declarations);
    const second = await applyTopics(testKafkaBrokers(), declarations);
    expect(second).toEqual({ created: [], partitionsRaised: [], configsUpdated: [] });

    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: ['dossier.events.v1'] });
    await admin.disconnect();
    expect(metadata.topics[0].partitions).toHaveLength(
      declarations.find((d) => d.name === 'dossier.events.v1')?.partitions ?? -1,
    );
  });
});

/** Its own broker (own ports and data folder) so the shared one is never stopped. */
describe('infra/kafka/start.sh and stop.sh', () => {
  const port = 19000 + Math.floor(Math.random() * 400) * 2;
  const dataDir = resolve(repoRoot, '.data', `test-kafka-${port}`);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts once, does not start a second broker when run again, and stop ends that PID', async () => {
    const first = await startLocalKafka({ port, dataDir, heap: '256m' });
    const pid = brokerPid(first.pidFile);
    try {
      expect(first.startedHere).toBe(true);
      expect(pid).toBeDefined();

      const second = await startLocalKafka({ port, dataDir, heap: '256m' });
      expect(second.startedHere).toBe(false);
      expect(brokerPid(second.pidFile)).toBe(pid);

      const admin = new Kafka({
        clientId: 'start-twice',
        brokers: [first.brokers],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      expect(cluster.brokers).toHaveLength(1);
    } finally {
      await first.stop();
    }
    expect(brokerPid(first.pidFile)).toBeUndefined();
    expect(() => process.kill(pid as number, 0)).toThrow();
  }, 180_000);
});
