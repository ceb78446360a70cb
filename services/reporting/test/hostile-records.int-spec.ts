import type { CloudEvent } from '@backbone/contracts';
import { uuidv7 } from '@backbone/contracts';
import {
  createKafkaClient,
  IdempotentConsumer,
  readDeadLetters,
  type KafkaClient,
} from '@backbone/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  type TestDatabase,
  testKafkaBrokers,
  uniqueName,
} from '@backbone/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createReportingDataSource } from '../src/database/data-source';
import { applyLiveBatch } from '../src/projections/projection-writer';
import { rebuildProjections } from '../src/rebuild/rebuild-projections';
import { HANOI_UNIT_CODES } from '../src/units/units';
import { generateDossierEvents } from './builders/generate-dossier-events';
import {
  differences,
  loadSourceRows,
  projectedCountersSql,
  RECOMPUTED_COUNTERS_SQL,
} from './support/recompute';
import { publishEvents } from './support/reporting-process';

/*
 * Issue 11, malformed but parseable events: records an attacker with write access to a topic
 * would publish (raw kafkajs, not the lib's producer) that JSON.parse and a lax envelope check
 * accept and a consumer's SQL then chokes on: a unit code that is not one, a dossier event whose
 * subject is not its UUIDv7, a NUL character. The live consumer must park them in its dead letters
 * with the reason and keep the partition moving with the figures exact; a rebuild over the same
 * topic must park them too, carry on, say how far it is, and end.
 */
describe('reporting: hostile records on a topic', () => {
  const topic = uniqueName('reporting_hostile_dossier_events');
  const groupId = uniqueName('reporting');
  const good = generateDossierEvents({
    targetEvents: 300,
    unitCodes: HANOI_UNIT_CODES.slice(0, 10),
    seed: 11,
  });
  const client: KafkaClient = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'reporting-hostile-test',
    logLevel: 'nothing',
  });
  let database: TestDatabase;
  let dataSource: DataSource;
  let live: IdempotentConsumer | undefined;

  /** A fresh dossier.received.v1 of the generated set, with its own ids, changed by `damage`. */
  function hostile(damage: (event: Record<string, unknown>, data: Record<string, unknown>) => void) {
    const template = good.find((e) => e.type === 'dossier.received.v1')!;
    const event = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
    const data = event.data as Record<string, unknown>;
    const dossierId = uuidv7();
    // A new aggregate: its key in `subject` and, when the envelope carries it, in `partitionkey` too
    // (they must be equal), so that only the damage makes the record hostile.
    Object.assign(event, { id: uuidv7(), subject: dossierId });
    if ('partitionkey' in event) event.partitionkey = dossierId;
    data.dossierId = dossierId;
    damage(event, data);
    return { key: String(event.subject), value: JSON.stringify(event) };
  }
  const hostileRecords = [
    hostile((event) => (event.unitcode = "00070' OR '1'='1")),
    hostile((event) => {
      // Key and partition key agree; the subject is not the aggregate's id.
      event.subject = 'not-a-uuid';
      if ('partitionkey' in event) event.partitionkey = 'not-a-uuid';
    }),
    hostile((_, data) => (data.field = 'Hộ\u0000tịch')),
  ];

  beforeAll(async () => {
    database = await createTestDatabase('reporting_hostile');
    dataSource = createReportingDataSource(database.url, 4);
    await dataSource.initialize();
    await dataSource.runMigrations();
    await createTestTopics([{ topic, numPartitions: 1 }]);
    await publishEvents(topic, good.slice(0, 150));
    const attacker = new Kafka({
      clientId: 'not-a-service',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).producer();
    await attacker.connect();
    await attacker.send({ topic, messages: hostileRecords });
    await attacker.disconnect();
    await publishEvents(topic, good.slice(150));
  });

  afterAll(async () => {
    await live?.stop();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('the live consumer parks them with the reason, moves on, and its figures are exact', async () => {
    live = new IdempotentConsumer({
      client,
      dataSource,
      groupId,
      topics: [topic],
      handlers: {
        handleBatch: async (events: CloudEvent[], manager, positions) => {
          await applyLiveBatch(manager, events, positions);
        },
      },
      initialBackoffMs: 50,
      maxBackoffMs: 200,
    });
    await live.start();
    await eventually(
      async () => {
        const [offset] = await client.withAdmin((admin) => admin.committedOffsets(groupId, topic));
        expect(Number(offset.offset)).toBe(good.length + hostileRecords.length);
      },
      { timeoutMs: 90_000 },
    );
    await live.stop();
    live = undefined;

    const letters = await readDeadLetters({ client, groupId });
    expect(letters.map((l) => [Number(l.originalOffset), l.reason])).toEqual([
      [150, 'invalid-attribute'],
      [151, 'invalid-attribute'],
      [152, 'invalid-data'],
    ]);
    expect(letters[0].message).toMatch(/unitcode/);
    expect(letters[1].message).toMatch(/subject: must be the aggregate id/);
    expect(letters[2].message).toMatch(/data\.field: must not contain NUL/);

    await loadSourceRows(dataSource, good);
    expect(
      await differences(dataSource, projectedCountersSql('reporting_g1'), RECOMPUTED_COUNTERS_SQL),
    ).toEqual({
      onlyLeft: [],
      onlyRight: [],
    });
  }, 150_000);

  it('a rebuild over the topic parks them, prints its progress, completes and matches', async () => {
    const lines: string[] = [];
    const result = await rebuildProjections({
      dataSource,
      client,
      topics: [topic],
      liveGroupId: groupId,
      log: (line) => lines.push(line),
      progressIntervalMs: 100,
    });
    expect(result).toMatchObject({ generation: 2, eventsApplied: good.length, parked: 3, invalidSkipped: 3 });
    const parked: { kafka_offset: string; reason: string; message: string }[] = await dataSource.query(
      `SELECT kafka_offset::text, reason, message FROM reporting_g2.rebuild_parked ORDER BY kafka_offset`,
    );
    expect(parked.map((p) => [p.kafka_offset, p.reason])).toEqual([
      ['150', 'invalid-attribute'],
      ['151', 'invalid-attribute'],
      ['152', 'invalid-data'],
    ]);
    expect(lines.some((line) => /partitions at the live position/.test(line))).toBe(true);
    expect(lines.filter((line) => line.startsWith('rebuild: parked'))).toHaveLength(3);
    expect(
      await differences(
        dataSource,
        projectedCountersSql('reporting_g2'),
        projectedCountersSql('reporting_g1'),
      ),
    ).toEqual({ onlyLeft: [], onlyRight: [] });
  }, 150_000);

  it('after the live group was renamed, a rebuild still reaches the live position (the applied-offset mark)', async () => {
    const renamed = uniqueName('reporting_renamed');
    live = new IdempotentConsumer({
      client,
      dataSource,
      groupId: renamed,
      topics: [topic],
      handlers: {
        handleBatch: async (events: CloudEvent[], manager, positions) => {
          await applyLiveBatch(manager, events, positions);
        },
      },
    });
    await live.start();
    await eventually(
      async () => {
        const [offset] = await client.withAdmin((admin) => admin.committedOffsets(renamed, topic));
        expect(Number(offset.offset)).toBe(good.length + hostileRecords.length);
      },
      { timeoutMs: 90_000 },
    );
    await live.stop();
    live = undefined;
    // The renamed group applied nothing again: its inbox is empty, the mark says where it stands.
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1`, [
      renamed,
    ]);
    expect(n).toBe(0);
    const result = await rebuildProjections({ dataSource, client, topics: [topic], liveGroupId: renamed });
    expect(result).toMatchObject({ generation: 3, eventsApplied: good.length, parked: 3 });
    expect(
      await differences(
        dataSource,
        projectedCountersSql('reporting_g3'),
        projectedCountersSql('reporting_g2'),
      ),
    ).toEqual({ onlyLeft: [], onlyRight: [] });
  }, 150_000);

  it('a rebuild that cannot reach the live position gives up after its bounded wait', async () => {
    // The live position says offset 10,000, which the topic never reaches.
    await dataSource.query(
      `INSERT INTO inbox (consumer_group, event_id, payload_hash, event_type, topic, kafka_partition, kafka_offset)
       VALUES ($1, $2, repeat('0', 64), 'dossier.received.v1', $3, 0, 10000)`,
      [groupId, uuidv7(), topic],
    );
    await expect(
      rebuildProjections({
        dataSource,
        client,
        topics: [topic],
        liveGroupId: groupId,
        progressIntervalMs: 200,
        stallTimeoutMs: 3_000,
      }),
    ).rejects.toThrow(/rebuild stalled: nothing applied for 3 s; behind: .*:0 at \d+ of 10000/);
    const [{ state }] = await dataSource.query(
      `SELECT state FROM reporting_generation ORDER BY generation DESC LIMIT 1`,
    );
    expect(state).toBe('failed');
  }, 120_000);
});
