import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CloudEvent, loadFixture, uuidv7 } from '@backbone/contracts';
import {
  addToOutbox,
  createKafkaClient,
  IdempotentConsumer,
  type KafkaClient,
  messagingMigrations,
  OutboxRelay,
  toOutgoingMessage,
} from '@backbone/messaging';
import { createTestDatabase, eventually, type TestDatabase } from '@backbone/testing';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { DataSource } from 'typeorm';
import { applyAcls, loadPrincipalDeclarations } from './kafka-acls';
import { type LocalKafka, startLocalKafka } from './kafka-local';
import { repoRoot } from './paths';
import { applyTopics, loadTopicDeclarations } from './topics';

/**
 * Issue 11, "Kafka itself": the attacks, from outside, against a broker started the way
 * `KAFKA_AUTH=scram npm start` starts it. Its own broker (ports 9392/9393, own data folder), so the
 * shared PLAINTEXT broker is never touched. Each test is an attempt a stolen or buggy service
 * could make; before KAFKA_AUTH=scram every one of them succeeded.
 */
describe('Kafka with KAFKA_AUTH=scram: one principal per service, least-privilege ACLs', () => {
  const port = 9392;
  const dataDir = resolve(repoRoot, '.data', `test-kafka-auth-${port}`);
  let broker: LocalKafka;
  let passwords: Record<string, string>;
  const clients: { disconnect(): Promise<void> }[] = [];

  type ScramOptions = { mechanism: 'scram-sha-512'; username: string; password: string };
  const sasl = (principal: string, password = passwords[principal]): ScramOptions => ({
    mechanism: 'scram-sha-512',
    username: principal,
    password,
  });
  /** A raw kafkajs client, as an attacker holding (or missing) a principal's credentials would use. */
  const kafkaAs = (options: ScramOptions | undefined) =>
    new Kafka({
      clientId: `auth-test-${options?.username ?? 'anonymous'}`,
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      // A few retries: the first group request waits for the broker to create __consumer_offsets.
      retry: { retries: 5 },
      ...(options ? { sasl: options } : {}),
    });
  /** The messaging lib's client, as a service configured with KAFKA_AUTH=scram builds it. */
  const serviceClient = (principal: string): KafkaClient =>
    createKafkaClient({
      brokers: [broker.brokers],
      clientId: principal,
      logLevel: 'nothing',
      sasl: { mechanism: 'scram-sha-512', username: principal, password: passwords[principal] },
    });
  const fixtureEvent = (type: string): CloudEvent => ({ ...loadFixture(type), id: uuidv7() });

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    broker = await startLocalKafka({ port, dataDir, heap: '256m', auth: 'scram' });
    passwords = broker.credentials!.principals;
    await applyTopics([broker.brokers], loadTopicDeclarations(), broker.credentials!.admin);
  }, 240_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect().catch(() => undefined)));
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a client that does not authenticate, and one with a wrong password', async () => {
    const anonymous = kafkaAs(undefined).producer();
    clients.push(anonymous);
    await expect(
      anonymous.connect().then(() =>
        anonymous.send({
          topic: 'dossier.events.v1',
          messages: [toOutgoingMessage(fixtureEvent('dossier.received.v1'))],
        }),
      ),
    ).rejects.toThrow();

    const impostor = kafkaAs(sasl('dossier', passwords.reporting)).admin();
    clients.push(impostor);
    await expect(impostor.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });

  it('lets the dossier principal publish dossier events, but not write signing.events.v1', async () => {
    const producer = serviceClient('dossier').producer();
    clients.push(producer);
    await producer.connect();
    await producer.send([
      { topic: 'dossier.events.v1', messages: [toOutgoingMessage(fixtureEvent('dossier.received.v1'))] },
    ]);

    // A forged "signature completed" would make dossier resolve results nobody signed.
    const forged = toOutgoingMessage(fixtureEvent('signature.completed.v1'));
    await expect(producer.send([{ topic: 'signing.events.v1', messages: [forged] }])).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    // A topic it neither reads nor writes: not even its metadata.
    const raw = kafkaAs(sasl('dossier')).producer();
    clients.push(raw);
    await raw.connect();
    await expect(
      raw.send({
        topic: 'hotline.events.v1',
        messages: [toOutgoingMessage(fixtureEvent('call.received.v1'))],
      }),
    ).rejects.toThrow(/Not authorized to access topics: \[Topic authorization failed\]/);
  });

  it('does not let the dossier principal read a topic it does not consume', async () => {
    const consumer = kafkaAs(sasl('dossier')).consumer({ groupId: 'dossier' });
    clients.push(consumer);
    await consumer.connect();
    await expect(
      consumer.subscribe({ topics: ['hotline.events.v1'], fromBeginning: true }),
    ).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const admin = kafkaAs(sasl('dossier')).admin();
    clients.push(admin);
    await admin.connect();
    await expect(admin.fetchTopicOffsets('party-fee.events.v1')).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it("does not let the dossier principal join another service's consumer group", async () => {
    // Joining `reporting` would steal its partitions (and commit its offsets): reporting would miss events.
    // kafkajs reports the refusal only as "Failed to find group coordinator"; the broker's own
    // answer (to FindCoordinator) is in the client's debug log, so the test reads it there.
    const brokerErrors: string[] = [];
    const attacker = new Kafka({
      clientId: 'auth-test-group-thief',
      brokers: [broker.brokers],
      sasl: sasl('dossier'),
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => {
        const type = (entry.log as { error?: { type?: unknown } }).error?.type;
        if (typeof type === 'string') brokerErrors.push(type);
      },
    });
    const consumer = attacker.consumer({
      groupId: 'reporting',
      retry: { retries: 2, restartOnFailure: async () => false },
    });
    clients.push(consumer);
    let joined = false;
    let crashed = false;
    consumer.on(consumer.events.GROUP_JOIN, () => void (joined = true));
    consumer.on(consumer.events.CRASH, () => void (crashed = true));
    await consumer.connect();
    await consumer.subscribe({ topics: ['signing.events.v1'], fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    await eventually(() => expect(crashed).toBe(true), { timeoutMs: 30_000 });
    expect(brokerErrors).toContain('GROUP_AUTHORIZATION_FAILED');
    expect(joined).toBe(false);
  });

  it('lets reporting consume every events topic as group reporting and write only reporting.dlq', async () => {
    const owners: [string, string, string][] = [
      ['dossier', 'dossier.events.v1', 'dossier.received.v1'],
      ['signing', 'signing.events.v1', 'signature.completed.v1'],
      ['hotline', 'hotline.events.v1', 'call.received.v1'],
      ['party-fee', 'party-fee.events.v1', 'party-fee.paid.v1'],
    ];
    const published = new Set<string>();
    for (const [principal, topic, type] of owners) {
      const producer = serviceClient(principal).producer();
      clients.push(producer);
      await producer.connect();
      const event = fixtureEvent(type);
      await producer.send([{ topic, messages: [toOutgoingMessage(event)] }]);
      published.add(event.id);
    }

    const seen = new Set<string>();
    const consumer = kafkaAs(sasl('reporting')).consumer({ groupId: 'reporting' });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: owners.map(([, topic]) => topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.add((JSON.parse(message.value!.toString('utf8')) as CloudEvent).id);
      },
    });
    await eventually(() => expect([...published].filter((id) => !seen.has(id))).toEqual([]), {
      timeoutMs: 60_000,
    });

    const producer = serviceClient('reporting').producer();
    clients.push(producer);
    await producer.connect();
    const parked = toOutgoingMessage(fixtureEvent('dossier.received.v1'));
    await producer.send([{ topic: 'reporting.dlq', messages: [parked] }]);
    await expect(producer.send([{ topic: 'dossier.events.v1', messages: [parked] }])).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it('applies the ACLs idempotently and removes a right the declaration does not give', async () => {
    const admin = broker.credentials!.admin;
    const principals = loadPrincipalDeclarations();
    expect(await applyAcls([broker.brokers], admin, principals)).toEqual({ created: [], deleted: [] });

    // Someone "fixes" a failing deployment by granting dossier write access to signing's topic.
    const client = kafkaAs({ mechanism: 'scram-sha-512', ...admin }).admin();
    clients.push(client);
    await client.connect();
    await client.createAcls({
      acl: [
        {
          principal: 'User:dossier',
          host: '*',
          operation: AclOperationTypes.WRITE,
          permissionType: AclPermissionTypes.ALLOW,
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'signing.events.v1',
          resourcePatternType: ResourcePatternTypes.LITERAL,
        },
      ],
    });
    const changes = await applyAcls([broker.brokers], admin, principals);
    expect(changes).toEqual({ created: [], deleted: ['User:dossier TOPIC signing.events.v1 WRITE'] });
    const producer = serviceClient('dossier').producer();
    clients.push(producer);
    await producer.connect();
    const forged = toOutgoingMessage(fixtureEvent('signature.completed.v1'));
    await expect(producer.send([{ topic: 'signing.events.v1', messages: [forged] }])).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  describe('libs/messaging end to end over SASL/SCRAM', () => {
    let database: TestDatabase;
    let dataSource: DataSource;
    const stops: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      database = await createTestDatabase('kafka_auth');
      dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: messagingMigrations });
      await dataSource.initialize();
      await dataSource.runMigrations();
    });

    afterAll(async () => {
      for (const stop of stops.splice(0).reverse()) await stop();
      if (dataSource?.isInitialized) await dataSource.destroy();
      await database?.drop();
    });

    it("signing's outbox relay publishes a signature event, dossier's idempotent consumer applies it", async () => {
      const applied: string[] = [];
      const consumer = new IdempotentConsumer({
        client: serviceClient('dossier'),
        dataSource,
        groupId: 'dossier',
        topics: ['signing.events.v1'],
        handlers: {
          handle: async (event) => {
            applied.push(event.id);
          },
        },
      });
      await consumer.start();
      stops.push(() => consumer.stop());
      const relay = new OutboxRelay({
        dataSource,
        client: serviceClient('signing'),
        serviceName: 'signing',
        pollIntervalMs: 200,
      });
      relay.start();
      stops.push(() => relay.stop());

      const signed = fixtureEvent('signature.completed.v1');
      await dataSource.transaction((manager) => addToOutbox(manager, [signed]));
      await eventually(() => expect(applied).toContain(signed.id), { timeoutMs: 60_000 });
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
      );
      expect(row.n).toBe(0);
    });
  });
});
