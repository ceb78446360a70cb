import { type CloudEvent, parseEvent } from '@backbone/contracts';
import { ephemeralGroupId, type IncomingBatch, type KafkaClient } from '@backbone/messaging';
import type { DataSource } from 'typeorm';
import { generationDdl, generationSchemaName } from '../database/generation-schema';
import { foldEvents } from '../projections/fold-events';
import { type StreamPosition, writeDelta } from '../projections/projection-writer';

export interface RebuildOptions {
  dataSource: DataSource;
  client: KafkaClient;
  topics: readonly string[];
  /** The live consumer group: the rebuild stops exactly where it stands (its inbox says where). */
  liveGroupId: string;
  log?: (line: string) => void;
  /** Switch to the new generation at the end (default true). */
  switchOver?: boolean;
}

export interface RebuildResult {
  generation: number;
  schema: string;
  eventsApplied: number;
  duplicatesSkipped: number;
  invalidSkipped: number;
  seconds: number;
  eventsPerSecond: number;
}

type PartitionKey = string;
const keyOf = (topic: string, partition: number): PartitionKey => `${topic}\u0000${partition}`;

/**
 * Rebuilds every projection from the beginning of the topics into a new generation (schema)
 * while the current one keeps serving, then switches: see ADR 0006.
 *
 * It must end exactly where the live consumer stands, so that after the switch the live consumer
 * neither skips nor repeats an event in the new tables. The live position per partition is the
 * highest offset in the live group's inbox (the events it applied; later offsets it consumed were
 * duplicates or dead letters, which the rebuild skips as well). The final catch-up runs while the
 * rebuild holds `reporting_current` FOR UPDATE, which pauses live batches (they lock it FOR SHARE).
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const { dataSource, client } = options;
  const log = options.log ?? (() => undefined);
  const [{ next }] = await dataSource.query(
    `SELECT coalesce(max(generation), 0) + 1 AS next FROM reporting_generation`,
  );
  const generation = Number(next);
  const schema = generationSchemaName(generation);
  await dataSource.transaction(async (manager) => {
    for (const statement of generationDdl(schema)) await manager.query(statement);
    await manager.query(
      `INSERT INTO reporting_generation (generation, schema_name, state) VALUES ($1, $2, 'building')`,
      [generation, schema],
    );
  });
  log(
    `rebuild: generation ${generation} (${schema}) created; reading ${options.topics.join(', ')} from the beginning`,
  );

  const targets = new Map<PartitionKey, bigint>();
  const applied = new Map<PartitionKey, bigint>();
  const readTargets = async (
    query: (
      sql: string,
      params: unknown[],
    ) => Promise<{ topic: string; kafka_partition: number; last: string }[]>,
  ) => {
    const rows = await query(
      `SELECT topic, kafka_partition, max(kafka_offset)::text AS last FROM inbox
       WHERE consumer_group = $1 AND topic = ANY($2::text[]) GROUP BY topic, kafka_partition`,
      [options.liveGroupId, [...options.topics]],
    );
    for (const row of rows) targets.set(keyOf(row.topic, row.kafka_partition), BigInt(row.last));
  };
  const caughtUp = () => [...targets].every(([key, target]) => (applied.get(key) ?? -1n) >= target);

  let eventsApplied = 0;
  let duplicatesSkipped = 0;
  let invalidSkipped = 0;
  let waiters: (() => void)[] = [];
  const notify = () => {
    if (!caughtUp()) return;
    waiters.forEach((wake) => wake());
    waiters = [];
  };
  const untilCaughtUp = () =>
    new Promise<void>((resolve) => (caughtUp() ? resolve() : waiters.push(resolve)));

  // Timed from the first record, so that the consumer group join (seconds, fixed) does not hide the rate.
  let firstRecordAt: number | undefined;
  const applyBatch = async (batch: IncomingBatch) => {
    firstRecordAt ??= Date.now();
    const key = keyOf(batch.topic, batch.partition);
    const target = targets.get(key) ?? -1n;
    const done = applied.get(key) ?? -1n;
    const records = batch.records.filter((r) => BigInt(r.offset) > done && BigInt(r.offset) <= target);
    if (records.length === 0) {
      // At its target: wait a little before the client fetches the same records again.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return;
    }
    const events: CloudEvent[] = [];
    const seenInBatch = new Set<string>();
    for (const record of records) {
      try {
        const event = parseEvent(record.value);
        if (seenInBatch.has(event.id)) duplicatesSkipped += 1;
        else {
          seenInBatch.add(event.id);
          events.push(event);
        }
      } catch {
        invalidSkipped += 1; // the live consumer parked it in the dead letters: not counted there either
      }
    }
    const last = records[records.length - 1]!;
    await dataSource.transaction(async (manager) => {
      const fresh: { event_id: string }[] = events.length
        ? await manager.query(
            `INSERT INTO "${schema}".rebuild_seen_event (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
            [events.map((e) => e.id)],
          )
        : [];
      const freshIds = new Set(fresh.map((row) => row.event_id));
      const newEvents = events.filter((e) => freshIds.has(e.id));
      duplicatesSkipped += events.length - newEvents.length;
      const position: StreamPosition = {
        topic: batch.topic,
        partition: batch.partition,
        lastOffset: last.offset,
        maxEventTime: newEvents.reduce(
          (max, e) => (e.time > max ? e.time : max),
          newEvents[0]?.time ?? new Date(0).toISOString(),
        ),
        events: newEvents.length,
      };
      await writeDelta(manager, schema, foldEvents(newEvents), newEvents.length ? [position] : []);
      eventsApplied += newEvents.length;
    });
    applied.set(key, BigInt(last.offset));
    batch.resolveThrough(last.offset);
    notify();
  };

  await readTargets((sql, params) => dataSource.query(sql, params));
  const groupId = ephemeralGroupId('reporting.rebuild');
  const consumer = client.consumer({
    groupId,
    topics: [...options.topics],
    fromBeginning: true,
    maxBytesPerPartition: 8 * 1_048_576,
    partitionsConsumedConcurrently: 2,
  });
  await consumer.connect();
  await consumer.run(applyBatch);
  try {
    // Catch up with a moving live consumer without pausing it, a few rounds...
    for (let round = 0; round < 5; round += 1) {
      await untilCaughtUp();
      const before = [...targets.values()].reduce((sum, v) => sum + v, 0n);
      await readTargets((sql, params) => dataSource.query(sql, params));
      if ([...targets.values()].reduce((sum, v) => sum + v, 0n) === before) break;
    }
    const seconds = firstRecordAt === undefined ? 0 : (Date.now() - firstRecordAt) / 1000;
    if (options.switchOver === false) {
      return finish(seconds);
    }
    // ...then pause it for the last stretch and switch in the same transaction.
    await dataSource.transaction(async (manager) => {
      await manager.query(`SELECT generation FROM reporting_current FOR UPDATE`);
      await readTargets((sql, params) => manager.query(sql, params));
      await untilCaughtUp();
      const [{ generation: previous }] = await manager.query(`SELECT generation FROM reporting_current`);
      await manager.query(`UPDATE reporting_current SET generation = $1`, [generation]);
      await manager.query(`UPDATE reporting_generation SET state = 'retired' WHERE generation = $1`, [
        previous,
      ]);
      await manager.query(
        `UPDATE reporting_generation SET state = 'current', switched_at = now(), events_applied = $2, events_per_second = $3
         WHERE generation = $1`,
        [generation, eventsApplied, eventsApplied / Math.max(seconds, 0.001)],
      );
      log(`rebuild: switched from generation ${previous} to ${generation}`);
    });
    // The live inbox deduplicates from here on; older retired generations are dropped, the last one is kept for a while.
    await dataSource.query(`TRUNCATE "${schema}".rebuild_seen_event`);
    const old: { schema_name: string; generation: number }[] = await dataSource.query(
      `SELECT schema_name, generation FROM reporting_generation WHERE state IN ('retired', 'failed', 'building') AND generation < $1 - 1`,
      [generation],
    );
    for (const row of old) {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${row.schema_name}" CASCADE`);
      await dataSource.query(`DELETE FROM reporting_generation WHERE generation = $1`, [row.generation]);
    }
    return finish(seconds);
  } catch (error) {
    await dataSource.query(`UPDATE reporting_generation SET state = 'failed' WHERE generation = $1`, [
      generation,
    ]);
    throw error;
  } finally {
    await consumer.disconnect();
    await client.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }

  function finish(seconds: number): RebuildResult {
    const eventsPerSecond = eventsApplied / Math.max(seconds, 0.001);
    log(
      `rebuild: ${eventsApplied} events in ${seconds.toFixed(2)} s = ${Math.round(eventsPerSecond)} events/s ` +
        `(${duplicatesSkipped} duplicates and ${invalidSkipped} invalid records skipped)`,
    );
    return { generation, schema, eventsApplied, duplicatesSkipped, invalidSkipped, seconds, eventsPerSecond };
  }
}
