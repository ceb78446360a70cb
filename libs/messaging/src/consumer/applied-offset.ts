import type { DataSource, EntityManager } from 'typeorm';

/** The mark's scope unless a consumer names its own: one per database, whatever the group is called. */
export const DEFAULT_APPLIED_OFFSET_SCOPE = 'database';

export interface AppliedOffsetMark {
  /** The highest offset applied or parked; -1n when nothing was. */
  offset: bigint;
  /** The consumer group that moved the mark last. */
  group: string;
}

export interface PartitionRef {
  scope: string;
  topic: string;
  partition: number;
}

type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

/**
 * Reads the mark of a topic-partition and locks it until the transaction ends (creating it at -1
 * the first time), so that two consumers of the same database applying the same partition at once
 * (a renamed group deployed beside the old one, a zombie after a rebalance) take turns: the second
 * sees the first one's mark once it committed.
 */
export async function lockAppliedOffset(
  manager: EntityManager,
  ref: PartitionRef,
  groupId: string,
): Promise<AppliedOffsetMark> {
  const select = () =>
    manager.query(
      `SELECT applied_offset::text AS applied_offset, consumer_group FROM consumer_applied_offset
       WHERE scope = $1 AND topic = $2 AND kafka_partition = $3 FOR UPDATE`,
      [ref.scope, ref.topic, ref.partition],
    ) as Promise<{ applied_offset: string; consumer_group: string }[]>;
  let rows = await select();
  if (rows.length === 0) {
    await manager.query(
      `INSERT INTO consumer_applied_offset (scope, topic, kafka_partition, applied_offset, consumer_group)
       VALUES ($1, $2, $3, -1, $4) ON CONFLICT DO NOTHING`,
      [ref.scope, ref.topic, ref.partition, groupId],
    );
    rows = await select();
  }
  return { offset: BigInt(rows[0].applied_offset), group: rows[0].consumer_group };
}

/** The mark without a lock (for records that will be parked, not applied), or undefined. */
export async function readAppliedOffset(
  db: Queryable,
  ref: PartitionRef,
): Promise<AppliedOffsetMark | undefined> {
  const rows: { applied_offset: string; consumer_group: string }[] = await db.query(
    `SELECT applied_offset::text AS applied_offset, consumer_group FROM consumer_applied_offset
     WHERE scope = $1 AND topic = $2 AND kafka_partition = $3`,
    [ref.scope, ref.topic, ref.partition],
  );
  return rows[0] && { offset: BigInt(rows[0].applied_offset), group: rows[0].consumer_group };
}

/** Moves the mark up to `offset` (never down): after a record was parked in the dead letters. */
export async function advanceAppliedOffset(
  db: Queryable,
  ref: PartitionRef,
  offset: string,
  groupId: string,
): Promise<void> {
  await db.query(
    `INSERT INTO consumer_applied_offset AS m (scope, topic, kafka_partition, applied_offset, consumer_group)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scope, topic, kafka_partition) DO UPDATE
       SET applied_offset = greatest(m.applied_offset, EXCLUDED.applied_offset),
           consumer_group = EXCLUDED.consumer_group, updated_at = now()`,
    [ref.scope, ref.topic, ref.partition, offset, groupId],
  );
}

/**
 * The mark to trust for a partition whose log ends at `highWatermark`: a Kafka log never gets
 * shorter, so a mark at or past its end was written for another log of the same name (the topic
 * was deleted and recreated, or the partition truncated by an unclean election). Such a mark is
 * ignored (-1n) rather than allowed to swallow the new log's records.
 */
export function trustedMark(mark: bigint, highWatermark: string | undefined): bigint {
  if (highWatermark === undefined || highWatermark === '' || highWatermark === '-1') return mark;
  return mark >= BigInt(highWatermark) ? -1n : mark;
}

/**
 * Deletes the marks of a topic: for an operator who recreated it and wants its consumers to apply
 * the new log from offset 0 even where it is already longer than the old one (see the README).
 */
export async function forgetAppliedOffsets(db: Queryable, topic: string, scope?: string): Promise<number> {
  const result: [unknown[], number] = await db.query(
    `DELETE FROM consumer_applied_offset WHERE topic = $1 AND ($2::text IS NULL OR scope = $2)`,
    [topic, scope ?? null],
  );
  return result[1];
}
