import type { CloudEvent } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';

/** Where an event was read from: for logs and for handlers that care. */
export interface EventContext {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A consumer group's handler: exactly one of the two. Both run inside the batch's database
 * transaction (use `manager` for every write), only for events this group has not applied yet.
 */
export interface ConsumerHandlers {
  /** One call per new event, in partition order. */
  handle?(event: CloudEvent, manager: EntityManager, context: EventContext): Promise<void>;
  /**
   * One call per batch with all its new events in partition order: for one pre-aggregated write
   * per key. `positions[i]` is where `events[i]` was read from (handlers may ignore it).
   */
  handleBatch?(events: CloudEvent[], manager: EntityManager, positions: EventContext[]): Promise<void>;
  /**
   * With `handle`: the only event types it acts on. A record whose `ce_type` header names another
   * type is recorded in the inbox from its `ce_id`/`ce_type` headers without being parsed or
   * validated (a group that needs two types of a busy topic does not decode all of it); its
   * validity is the concern of the groups that handle it. Unset: every record is parsed.
   */
  handledTypes?: ReadonlySet<string>;
}

export function assertOneHandler(handlers: ConsumerHandlers, groupId: string): void {
  if (Boolean(handlers.handle) === Boolean(handlers.handleBatch)) {
    throw new Error(`Consumer group "${groupId}" needs exactly one of handle or handleBatch`);
  }
}

/** Why a record went to the dead letters: the parse error reasons, an id conflict, or a handler that kept failing. */
export const DEAD_LETTER_REASONS = [
  'invalid-json',
  'missing-attribute',
  'invalid-attribute',
  'unknown-type',
  'invalid-data',
  'id-conflict',
  'handler-failed',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];
