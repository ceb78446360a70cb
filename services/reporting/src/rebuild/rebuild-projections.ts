import { type CloudEvent, EventContractError, parseEvent } from '@backbone/contracts';
import {
  backoffMs,
  DEFAULT_APPLIED_OFFSET_SCOPE,
  ephemeralGroupId,
  errorMessage,
  type IncomingBatch,
  type IncomingRecord,
  isTransientError,
  type KafkaClient,
  sleep,
  transactionOnHealthyConnection,
} from '@backbone/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { generationDdl, generationSchemaName } from '../database/generation-schema';
import { foldEvents } from '../projections/fold-events';
import { type StreamPosition, writeDelta } from '../projections/projection-writer';

export interface RebuildOptions {
  dataSource: DataSource;
  client: KafkaClient;
  topics: readonly string[];
  /** The live consumer group: the rebuild stops exactly where it stands (its inbox says where). */
  liveGroupId: string;
  /** The live consumer's applied-offset scope (default: the database's), which also says where it stands. */
  liveAppliedOffsetScope?: string;
  log?: (line: string) => void;
  /** Switch to the new generation at the end (default true). */
  switchOver?: boolean;
  /** A progress line every this often (default 10 s). */
  progressIntervalMs?: number;
  /**
   * Give up (generation marked failed, error naming the partitions behind) when no record was
   * applied or parked for this long while the live position is not reached (default 5 min):
   * a bounded wait instead of hanging on a partition that never arrives.
   */
  stallTimeoutMs?: number;
}

/** A record the rebuild could not apply: kept in `<schema>.rebuild_parked` with the reason. */
export interface ParkedRecord {
  topic: string;
  partition: number;
  offset: string;
  eventId?: string;
  reason: string;
  message: string;
}

export interface RebuildResult {
  generation: number;
  schema: string;
  eventsApplied: number;
  duplicatesSkipped: number;
  invalidSkipped: number;
  /** Records parked in `<schema>.rebuild_parked` (invalid ones and those whose application failed). */
  parked: number;
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
 * highest offset in the live group's inbox (the events it applied) or the database's applied-offset
 * mark when that is further (later offsets it consumed were duplicates or dead letters, which the
 * rebuild skips or parks as well; a renamed group skipped what the mark covers). The final catch-up runs while the
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
    // What the rebuild could not apply, with the reason (the live consumer parks the same records in its dead letters).
    await manager.query(
      `CREATE TABLE "${schema}".rebuild_parked (
         topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,
         event_id text, reason text NOT NULL, message text NOT NULL,
         parked_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (topic, kafka_partition, kafka_offset))`,
    );
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
    // The live position: the group's newest inbox row, or the database's applied-offset mark when
    // it is further (records parked or skipped after the last applied one; a renamed group whose
    // own inbox does not hold what it skipped under the mark).
    const rows = await query(
      `SELECT topic, kafka_partition, max(last)::text AS last FROM (
         SELECT topic, kafka_partition, max(kafka_offset) AS last FROM inbox
         WHERE consumer_group = $1 AND topic = ANY($2::text[]) GROUP BY topic, kafka_partition
         UNION ALL
         SELECT topic, kafka_partition, applied_offset FROM consumer_applied_offset
         WHERE scope = $3 AND topic = ANY($2::text[]) AND applied_offset >= 0
       ) AS live GROUP BY topic, kafka_partition`,
      [
        options.liveGroupId,
        [...options.topics],
        options.liveAppliedOffsetScope ?? DEFAULT_APPLIED_OFFSET_SCOPE,
      ],
    );
    for (const row of rows) targets.set(keyOf(row.topic, row.kafka_partition), BigInt(row.last));
  };
  const caughtUp = () => [...targets].every(([key, target]) => (applied.get(key) ?? -1n) >= target);

  let eventsApplied = 0;
  let duplicatesSkipped = 0;
  let invalidSkipped = 0;
  let parkedCount = 0;
  let lastProgressAt = Date.now();
  let stalled: Error | undefined;
  let waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const notify = () => {
    if (!caughtUp() && !stalled) return;
    for (const waiter of waiters) {
      if (stalled) waiter.reject(stalled);
      else waiter.resolve();
    }
    waiters = [];
  };
  const untilCaughtUp = () =>
    new Promise<void>((resolve, reject) => {
      if (stalled) reject(stalled);
      else if (caughtUp()) resolve();
      else waiters.push({ resolve, reject });
    });
  const behind = () =>
    [...targets]
      .filter(([key, target]) => (applied.get(key) ?? -1n) < target)
      .map(([key, target]) => `${key.replace('\u0000', ':')} at ${applied.get(key) ?? -1n} of ${target}`);
  const progressLine = () =>
    `rebuild: ${eventsApplied} events applied, ${duplicatesSkipped} duplicates, ${parkedCount} parked; ` +
    `${targets.size - behind().length}/${targets.size} partitions at the live position`;

  /** One transaction, retried while the failure is transient; a permanent failure is thrown. */
  const inTransaction = async (work: (manager: EntityManager) => Promise<void>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await transactionOnHealthyConnection(dataSource, work);
      } catch (error) {
        if (!isTransientError(error)) throw error;
        log(`rebuild: transient database failure, retrying (${errorMessage(error)})`);
        await sleep(backoffMs(attempt, 200, 10_000));
      }
    }
  };

  const park = async (manager: EntityManager, parked: readonly ParkedRecord[]) => {
    if (parked.length === 0) return;
    await manager.query(
      `INSERT INTO "${schema}".rebuild_parked (topic, kafka_partition, kafka_offset, event_id, reason, message)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [
        parked.map((p) => p.topic),
        parked.map((p) => p.partition),
        parked.map((p) => p.offset),
        parked.map((p) => p.eventId ?? null),
        parked.map((p) => p.reason),
        // Bounded like a dead-letter header, and without what PostgreSQL text cannot hold.
        parked.map((p) => p.message.replaceAll('\u0000', '\\u0000').slice(0, 2_000)),
      ],
    );
    parkedCount += parked.length;
    for (const p of parked)
      log(`rebuild: parked ${p.topic}:${p.partition}@${p.offset} (${p.reason}: ${p.message.slice(0, 300)})`);
  };

  /** Applies events (unique within the call) at their positions; returns how many were new. */
  const applyEvents = async (
    manager: EntityManager,
    topic: string,
    partition: number,
    lastOffset: string,
    events: readonly CloudEvent[],
  ) => {
    const fresh: { event_id: string }[] = events.length
      ? await manager.query(
          `INSERT INTO "${schema}".rebuild_seen_event (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
          [events.map((e) => e.id)],
        )
      : [];
    const freshIds = new Set(fresh.map((row) => row.event_id));
    const newEvents = events.filter((e) => freshIds.has(e.id));
    const position: StreamPosition = {
      topic,
      partition,
      lastOffset,
      maxEventTime: newEvents.reduce(
        (max, e) => (e.time > max ? e.time : max),
        newEvents[0]?.time ?? new Date(0).toISOString(),
      ),
      events: newEvents.length,
    };
    await writeDelta(manager, schema, foldEvents(newEvents), newEvents.length ? [position] : []);
    return newEvents.length;
  };

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
    const offsets: string[] = [];
    const parked: ParkedRecord[] = [];
    const seenInBatch = new Set<string>();
    for (const record of records) {
      try {
        const event = parseEvent(record.value);
        if (seenInBatch.has(event.id)) duplicatesSkipped += 1;
        else {
          seenInBatch.add(event.id);
          events.push(event);
          offsets.push(record.offset);
        }
      } catch (error) {
        // The live consumer parked it in the dead letters: not counted there either.
        invalidSkipped += 1;
        parked.push(parkedRecord(record, error));
      }
    }
    const last = records[records.length - 1]!;
    try {
      await inTransaction(async (manager) => {
        const fresh = await applyEvents(manager, batch.topic, batch.partition, last.offset, events);
        await park(manager, parked);
        duplicatesSkipped += events.length - fresh;
        eventsApplied += fresh;
      });
    } catch (error) {
      // Something in the batch cannot be applied: one event per transaction, parking what fails.
      log(
        `rebuild: a batch of ${batch.topic}:${batch.partition} failed (${errorMessage(error)}); applying it event by event`,
      );
      await inTransaction((manager) => park(manager, parked));
      for (let i = 0; i < events.length; i += 1) {
        try {
          await inTransaction(async (manager) => {
            const fresh = await applyEvents(manager, batch.topic, batch.partition, offsets[i]!, [events[i]!]);
            duplicatesSkipped += 1 - fresh;
            eventsApplied += fresh;
          });
        } catch (eventError) {
          const record = records.find((r) => r.offset === offsets[i])!;
          await inTransaction((manager) =>
            park(manager, [{ ...parkedRecord(record, eventError), eventId: events[i]!.id }]),
          );
        }
      }
    }
    applied.set(key, BigInt(last.offset));
    lastProgressAt = Date.now();
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
  const progress = setInterval(() => {
    log(progressLine());
    const stallTimeoutMs = options.stallTimeoutMs ?? 300_000;
    if (!caughtUp() && Date.now() - lastProgressAt > stallTimeoutMs) {
      stalled = new Error(
        `rebuild stalled: nothing applied for ${Math.round(stallTimeoutMs / 1000)} s; behind: ${behind().join(', ')}`,
      );
      notify();
    }
  }, options.progressIntervalMs ?? 10_000);
  progress.unref();
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
    // The last progress line, whatever the interval: a rebuild shorter than one still says where it ended.
    log(progressLine());
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
    clearInterval(progress);
    await consumer.disconnect();
    await client.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }

  function finish(seconds: number): RebuildResult {
    const eventsPerSecond = eventsApplied / Math.max(seconds, 0.001);
    log(
      `rebuild: ${eventsApplied} events in ${seconds.toFixed(2)} s = ${Math.round(eventsPerSecond)} events/s ` +
        `(${duplicatesSkipped} duplicates skipped, ${parkedCount} records parked in ${schema}.rebuild_parked, ` +
        `${invalidSkipped} of them invalid)`,
    );
    return {
      generation,
      schema,
      eventsApplied,
      duplicatesSkipped,
      invalidSkipped,
      parked: parkedCount,
      seconds,
      eventsPerSecond,
    };
  }
}

function parkedRecord(record: IncomingRecord, error: unknown): ParkedRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    reason: error instanceof EventContractError ? error.reason : 'apply-failed',
    message: errorMessage(error),
  };
}
