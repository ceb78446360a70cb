import { createHash, hash as oneShotHash } from 'node:crypto';
import { type CloudEvent, EVENT_HEADERS, EventContractError, parseEvent } from '@backbone/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { IncomingRecord } from '../kafka/kafka-client';
import { transactionOnHealthyConnection } from '../database-transaction';
import { errorMessage } from '../transient-error';
import { lockAppliedOffset, trustedMark } from './applied-offset';
import type { ConsumerHandlers, DeadLetterReason } from './handlers';
import { processTraced, startBatchProcessSpans } from '../tracing';

export interface ParsedRecord {
  record: IncomingRecord;
  /** SHA-256 of the record value: the same event id with another hash is a conflict. */
  hash: string;
  event?: CloudEvent;
  /** A record of a type this group has no handler for: its id and type, read from its headers. */
  unhandled?: { id: string; type: string };
  failure?: { reason: DeadLetterReason; message: string };
}

/** The event id of a record that parsed (or was recorded from its headers). */
export function eventIdOf(parsed: ParsedRecord): string {
  return parsed.event?.id ?? parsed.unhandled!.id;
}

function eventTypeOf(parsed: ParsedRecord): string {
  return parsed.event?.type ?? parsed.unhandled!.type;
}

// Header values of an unparsed record go into the inbox: the id into an unquoted array literal,
// so only what parseEvent would accept as an id (UUIDv7) and a plain type name pass.
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const EVENT_TYPE = /^[a-z0-9][a-z0-9.-]{0,126}$/;

// One-shot hashing (Node ≥ 20.12) is about twice as fast as createHash for record-sized inputs.
const sha256Hex: (data: Buffer) => string =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('sha256', data, 'hex')
    : (data) => createHash('sha256').update(data).digest('hex');

/**
 * `handledTypes` (the group's per-type handlers): a record whose `ce_type` header names another
 * type, with a well-formed `ce_id`, is not parsed — it is recorded in the inbox from its headers.
 */
export function parseRecord(record: IncomingRecord, handledTypes?: ReadonlySet<string>): ParsedRecord {
  const hash = sha256Hex(record.value ?? Buffer.alloc(0));
  if (handledTypes) {
    const type = record.headers[EVENT_HEADERS.type];
    const id = record.headers[EVENT_HEADERS.id];
    if (
      type !== undefined &&
      id !== undefined &&
      !handledTypes.has(type) &&
      UUID_V7.test(id) &&
      EVENT_TYPE.test(type)
    )
      return { record, hash, unhandled: { id, type } };
  }
  try {
    return { record, hash, event: parseEvent(record.value) };
  } catch (error) {
    if (error instanceof EventContractError)
      return { record, hash, failure: { reason: error.reason, message: error.message } };
    return { record, hash, failure: { reason: 'invalid-json', message: errorMessage(error) } };
  }
}

const INSERT_INBOX_ROWS = `INSERT INTO inbox (consumer_group, event_id, payload_hash, event_type, topic, kafka_partition, kafka_offset)
  SELECT $1, id, hash, type, coalesce(t.topic, $7), coalesce(t.kafka_partition, $8), kafka_offset
  FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $9::bigint[])
    AS t (id, hash, type, topic, kafka_partition, kafka_offset)
  ON CONFLICT (consumer_group, event_id) DO NOTHING
  RETURNING event_id`;

/** The insert, answering with how many rows it inserted and, only when not all, which ids ($10 = candidates). */
const RECORD_IN_INBOX = `WITH inserted AS (${INSERT_INBOX_ROWS})
  SELECT count(*)::int AS inserted,
    CASE WHEN count(*) < $10 THEN array_agg(event_id::text) END AS ids
  FROM inserted`;

/**
 * The same, moving the partition's applied-offset mark (locked earlier in the transaction) to the
 * run's last offset in the same statement: $11 scope, $12 topic, $13 partition, $14 offset.
 */
const RECORD_IN_INBOX_AND_MARK = `WITH marked AS (
    UPDATE consumer_applied_offset SET applied_offset = $14, consumer_group = $1, updated_at = now()
    WHERE scope = $11 AND topic = $12 AND kafka_partition = $13
  ), inserted AS (${INSERT_INBOX_ROWS})
  SELECT count(*)::int AS inserted,
    CASE WHEN count(*) < $10 THEN array_agg(event_id::text) END AS ids
  FROM inserted`;

/**
 * The inbox insert's parameters. A run read from one batch is all one topic-partition: then the
 * topic and partition go once as scalars ($7, $8) and their arrays stay empty (unnest pads them
 * with nulls), which saves quoting and parsing the topic name once per record.
 */
function inboxRowsParameters(groupId: string, run: ParsedRecord[], candidates: number[]): unknown[] {
  const { topic, partition } = run[0].record;
  const onePartition = run.every((r) => r.record.topic === topic && r.record.partition === partition);
  return [
    groupId,
    unquotedArrayLiteral(candidates.map((i) => eventIdOf(run[i]))),
    unquotedArrayLiteral(candidates.map((i) => run[i].hash)),
    candidates.map((i) => eventTypeOf(run[i])),
    onePartition ? [] : candidates.map((i) => run[i].record.topic),
    onePartition ? [] : candidates.map((i) => run[i].record.partition),
    onePartition ? topic : null,
    onePartition ? partition : null,
    unquotedArrayLiteral(candidates.map((i) => run[i].record.offset)),
    candidates.length,
  ];
}

/**
 * A PostgreSQL array literal of values that never need quoting: event ids (parseEvent accepted
 * them as UUIDv7), SHA-256 hex digests and Kafka offsets (decimal digits). pg would quote and
 * escape every element of a JS array; this is one join per column instead.
 */
function unquotedArrayLiteral(values: string[]): string {
  return `{${values.join(',')}}`;
}

/** The event at `index` of a run was applied before with a different payload. */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly index: number,
    eventId: string,
  ) {
    super(`event id ${eventId} was applied before with a different payload (hash mismatch)`);
  }
}

export interface ApplyResult {
  applied: number;
  /** Records not applied because they were applied before: by the inbox or by the applied-offset mark. */
  duplicates: number;
  /** Of those, the ones the applied-offset mark skipped (their inbox rows may be long pruned). */
  belowMark?: number;
  /** The group that moved the mark, when it skipped records and is not this group. */
  markGroup?: string;
  /** A mark at or past the end of the log, ignored (the topic was recreated): its value. */
  staleMark?: string;
}

export interface ApplyPosition {
  /** The partition's high watermark when the run was fetched: a mark at or past it is stale. */
  highWatermark?: string;
}

/**
 * Applies a run of parsed records of one partition in ONE database transaction: records them
 * in the inbox (one INSERT … ON CONFLICT DO NOTHING RETURNING for the whole run), skips the
 * events this group already applied (same id and hash), and runs the handler for the new ones.
 * The caller commits Kafka offsets only after this resolves.
 */
export class InboxProcessor {
  /**
   * @param appliedOffsetScope when set (the consumer sets it), records at or below the partition's
   *   applied-offset mark in this scope are skipped before the inbox is asked, and the mark moves
   *   with every run in the same transaction. Unset (dead-letter replay): the inbox alone decides,
   *   since a replayed record lies below the mark by nature.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
    private readonly handlers: ConsumerHandlers,
    private readonly appliedOffsetScope?: string,
  ) {}

  /** `run`: parsed records of ONE topic-partition in offset order when marks are used. */
  async apply(run: ParsedRecord[], position: ApplyPosition = {}): Promise<ApplyResult> {
    if (this.appliedOffsetScope === undefined) {
      return transactionOnHealthyConnection(this.dataSource, (manager) =>
        this.applyInTransaction(manager, run),
      );
    }
    const scope = this.appliedOffsetScope;
    const { topic, partition } = run[0].record;
    return transactionOnHealthyConnection(this.dataSource, async (manager) => {
      const ref = { scope, topic, partition };
      const mark = await lockAppliedOffset(manager, ref, this.groupId);
      const trusted = trustedMark(mark.offset, position.highWatermark);
      const staleMark = trusted !== mark.offset ? String(mark.offset) : undefined;
      // Offsets ascend within a run: the records at or below the mark are a prefix.
      let start = 0;
      while (start < run.length && BigInt(run[start].record.offset) <= trusted) start += 1;
      if (start === run.length) {
        return {
          applied: 0,
          duplicates: run.length,
          belowMark: start,
          markGroup: mark.group !== this.groupId ? mark.group : undefined,
        };
      }
      const last = run[run.length - 1].record.offset;
      try {
        const result = await this.applyInTransaction(manager, run.slice(start), [
          scope,
          topic,
          partition,
          last,
        ]);
        return {
          applied: result.applied,
          duplicates: result.duplicates + start,
          belowMark: start,
          markGroup: start > 0 && mark.group !== this.groupId ? mark.group : undefined,
          staleMark,
        };
      } catch (error) {
        // Indexes are the caller's, into the whole run.
        if (error instanceof EventIdConflictError)
          throw new EventIdConflictError(error.index + start, eventIdOf(run[error.index + start]));
        throw error;
      }
    });
  }

  private async applyInTransaction(
    manager: EntityManager,
    run: ParsedRecord[],
    mark?: [scope: string, topic: string, partition: number, offset: string],
  ): Promise<ApplyResult> {
    // Repeats inside the run (a producer retry can put one event twice in a batch): the first
    // occurrence is the candidate, a later one with another payload is a conflict.
    const firstIndexOf = new Map<string, number>();
    const candidates: number[] = [];
    let conflictIndex = -1;
    run.forEach((parsed, index) => {
      const id = eventIdOf(parsed);
      const first = firstIndexOf.get(id);
      if (first === undefined) {
        firstIndexOf.set(id, index);
        candidates.push(index);
      } else if (run[first].hash !== parsed.hash && conflictIndex < 0) {
        conflictIndex = index;
      }
    });

    // ONE statement records the run and says which ids are new: the primary key decides, so a
    // zombie consumer inserting the same ids concurrently makes ours wait, then skip them.
    const parameters = inboxRowsParameters(this.groupId, run, candidates);
    const [inserted]: { inserted: number; ids: string[] | null }[] = await manager.query(
      mark ? RECORD_IN_INBOX_AND_MARK : RECORD_IN_INBOX,
      mark ? [...parameters, ...mark] : parameters,
    );
    // Usually every candidate is new: then only the count comes back, not one row per event.
    const allNew = inserted.inserted === candidates.length;
    const isNew = allNew ? undefined : new Set(inserted.ids ?? []);
    const seen = isNew ? candidates.filter((i) => !isNew.has(eventIdOf(run[i]))) : [];
    let earliestConflict = conflictIndex;
    if (seen.length > 0) {
      // Applied before: the same payload is a duplicate, another payload under that id a conflict.
      const rows: { event_id: string; payload_hash: string }[] = await manager.query(
        `SELECT event_id, payload_hash FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`,
        [this.groupId, seen.map((i) => eventIdOf(run[i]))],
      );
      const recorded = new Map(rows.map((row) => [row.event_id, row.payload_hash]));
      for (const i of seen) {
        if (recorded.get(eventIdOf(run[i])) !== run[i].hash) {
          if (earliestConflict < 0 || i < earliestConflict) earliestConflict = i;
          break;
        }
      }
    }
    // Thrown inside the transaction: the inbox rows above roll back with it.
    if (earliestConflict >= 0)
      throw new EventIdConflictError(earliestConflict, eventIdOf(run[earliestConflict]));

    const fresh = isNew
      ? candidates.filter((i) => isNew.has(eventIdOf(run[i]))).map((i) => run[i])
      : candidates.map((i) => run[i]);
    if (fresh.length === 0) return { applied: 0, duplicates: run.length };
    if (this.handlers.handleBatch) {
      const events = fresh.map((r) => r.event!);
      const positions = fresh.map(({ record }) => ({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
      }));
      // Traced events: a CONSUMER span each while the batch is folded (none otherwise).
      const endSpans = startBatchProcessSpans(this.groupId, events, positions);
      try {
        await this.handlers.handleBatch(events, manager, positions);
      } catch (error) {
        endSpans?.(error);
        throw error;
      }
      endSpans?.();
    } else {
      for (const { event, record } of fresh) {
        // Recorded from its headers: a type this group has no handler for.
        if (!event) continue;
        const position = { topic: record.topic, partition: record.partition, offset: record.offset };
        // A traced event is handled inside a CONSUMER span continuing its trace, so that what the
        // handler writes to its own outbox carries the trace on.
        if (event.traceparent !== undefined)
          await processTraced(this.groupId, event, position, () =>
            this.handlers.handle!(event, manager, position),
          );
        else await this.handlers.handle!(event, manager, position);
      }
    }
    return { applied: fresh.length, duplicates: run.length - fresh.length };
  }
}

/** A concurrent consumer (a zombie after a rebalance) recorded the same event first: retry, it will be skipped. */
export function isInboxRace(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === 'inbox_pkey';
}
