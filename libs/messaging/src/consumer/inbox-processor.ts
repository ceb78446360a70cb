import { createHash } from 'node:crypto';
import { type CloudEvent, EventContractError, parseEvent } from '@backbone/contracts';
import type { DataSource } from 'typeorm';
import type { IncomingRecord } from '../kafka/kafka-client';
import { errorMessage } from '../transient-error';
import type { ConsumerHandlers, DeadLetterReason } from './handlers';

export interface ParsedRecord {
  record: IncomingRecord;
  /** SHA-256 of the record value: the same event id with another hash is a conflict. */
  hash: string;
  event?: CloudEvent;
  failure?: { reason: DeadLetterReason; message: string };
}

export function parseRecord(record: IncomingRecord): ParsedRecord {
  const hash = createHash('sha256')
    .update(record.value ?? Buffer.alloc(0))
    .digest('hex');
  try {
    return { record, hash, event: parseEvent(record.value) };
  } catch (error) {
    if (error instanceof EventContractError)
      return { record, hash, failure: { reason: error.reason, message: error.message } };
    return { record, hash, failure: { reason: 'invalid-json', message: errorMessage(error) } };
  }
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
  duplicates: number;
}

/**
 * Applies a run of parsed records of one partition in ONE database transaction: skips the
 * events this group already applied (same id and hash), runs the handler for the others and
 * records them in the inbox. The caller commits Kafka offsets only after this resolves.
 */
export class InboxProcessor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly groupId: string,
    private readonly handlers: ConsumerHandlers,
  ) {}

  async apply(run: ParsedRecord[]): Promise<ApplyResult> {
    return this.dataSource.transaction(async (manager) => {
      const ids = run.map((r) => r.event!.id);
      const existing: { event_id: string; payload_hash: string }[] = await manager.query(
        `SELECT event_id, payload_hash FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])`,
        [this.groupId, ids],
      );
      const known = new Map(existing.map((row) => [row.event_id, row.payload_hash]));
      const fresh: ParsedRecord[] = [];
      run.forEach((parsed, index) => {
        const id = parsed.event!.id;
        const hash = known.get(id);
        if (hash === undefined) {
          known.set(id, parsed.hash);
          fresh.push(parsed);
        } else if (hash !== parsed.hash) {
          throw new EventIdConflictError(index, id);
        }
      });
      if (fresh.length === 0) return { applied: 0, duplicates: run.length };

      if (this.handlers.handleBatch) {
        await this.handlers.handleBatch(
          fresh.map((r) => r.event!),
          manager,
        );
      } else {
        for (const { event, record } of fresh) {
          await this.handlers.handle!(event!, manager, {
            topic: record.topic,
            partition: record.partition,
            offset: record.offset,
          });
        }
      }
      await manager.query(
        `INSERT INTO inbox (consumer_group, event_id, payload_hash, event_type, topic, kafka_partition, kafka_offset)
         SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])`,
        [
          this.groupId,
          fresh.map((r) => r.event!.id),
          fresh.map((r) => r.hash),
          fresh.map((r) => r.event!.type),
          fresh.map((r) => r.record.topic),
          fresh.map((r) => r.record.partition),
          fresh.map((r) => r.record.offset),
        ],
      );
      return { applied: fresh.length, duplicates: run.length - fresh.length };
    });
  }
}

/** A concurrent consumer (a zombie after a rebalance) recorded the same event first: retry, it will be skipped. */
export function isInboxRace(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === 'inbox_pkey';
}
