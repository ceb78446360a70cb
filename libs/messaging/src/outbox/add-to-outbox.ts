import { type CloudEvent, eventClassFor, eventTypeOf } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import { withActiveTrace } from '../tracing';
import { laneOf } from './lanes';

export interface AddToOutboxOptions {
  /** Overrides the topic registered with the event's @EventType (for events outside the catalogue). */
  topic?: string;
}

/** The topic an event goes to: the one its class declares with @EventType. */
export function topicForEvent(event: CloudEvent): string {
  const eventClass = eventClassFor(event.type);
  if (!eventClass)
    throw new Error(
      `Cannot add "${event.type}" to the outbox: it is not in the event catalogue and no topic was given`,
    );
  return eventTypeOf(eventClass).topic;
}

/**
 * Adds events to the outbox in the caller's transaction: call it with the same EntityManager
 * that changes the state, so the events exist exactly when the change commits. The relay
 * publishes them afterwards (a trigger wakes it when this transaction commits). An event without a
 * `traceparent` built inside a traced request or consumer gets the active span's (withActiveTrace).
 */
export async function addToOutbox(
  manager: EntityManager,
  events: CloudEvent[],
  options: AddToOutboxOptions = {},
): Promise<void> {
  if (events.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    // Outside a transaction the event and the state change could diverge: refuse rather than hide it.
    throw new Error(
      'addToOutbox must be called inside the transaction that changes the state (manager.transaction(...))',
    );
  }
  const ids: string[] = [];
  const topics: string[] = [];
  const keys: string[] = [];
  const lanes: number[] = [];
  const types: string[] = [];
  const payloads: string[] = [];
  let traceparents: (string | null)[] | undefined;
  let tracestates: (string | null)[] | undefined;
  events.forEach((given, index) => {
    const event = withActiveTrace(given);
    ids.push(event.id);
    topics.push(options.topic ?? topicForEvent(event));
    keys.push(event.subject);
    lanes.push(laneOf(event.subject));
    types.push(event.type);
    payloads.push(JSON.stringify(event));
    if (event.traceparent !== undefined) {
      // Only traced events add the two columns (untraced: the statement is the one it always was).
      traceparents ??= new Array<string | null>(events.length).fill(null);
      tracestates ??= new Array<string | null>(events.length).fill(null);
      traceparents[index] = event.traceparent;
      tracestates[index] = event.tracestate ?? null;
    }
  });
  if (traceparents && tracestates) {
    await manager.query(
      `INSERT INTO outbox (event_id, topic, message_key, lane, event_type, payload, traceparent, tracestate)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [ids, topics, keys, lanes, types, payloads, traceparents, tracestates],
    );
    return;
  }
  await manager.query(
    `INSERT INTO outbox (event_id, topic, message_key, lane, event_type, payload)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[])`,
    [ids, topics, keys, lanes, types, payloads],
  );
}

export interface OutboxInsertOptions extends AddToOutboxOptions {
  /**
   * A value only the statement itself computes (e.g. a number an earlier CTE allocates): the
   * events carry `placeholder` where it belongs, and every occurrence in the stored payload is
   * replaced by `sqlExpression` (which must not contain `$`). Pick a placeholder that cannot occur
   * otherwise, e.g. the quoted JSON member with an impossible value.
   */
  substitute?: { placeholder: string; sqlExpression: string };
}

/**
 * The outbox INSERT for `events` as a statement, for a caller that sends it combined with its own
 * change in ONE statement (platform's `combineStatements`): the events commit exactly when that
 * statement does, and the relay is woken by the same trigger as for addToOutbox. Only for a
 * statement that makes the whole change; otherwise use addToOutbox inside the transaction.
 */
export function outboxInsertStatement(
  events: CloudEvent[],
  options: OutboxInsertOptions = {},
): { sql: string; params: unknown[] } {
  if (events.length === 0) throw new Error('outboxInsertStatement needs at least one event');
  const { substitute } = options;
  if (substitute && substitute.sqlExpression.includes('$'))
    throw new Error('outboxInsertStatement: the substitute expression must not contain "$"');
  // VALUES with scalar parameters (one row per event; a change makes a few): no array literals to
  // encode and escape, and the text is the same for the same number of events (prepared once).
  // With a substitute, $1 is its placeholder.
  const params: unknown[] = substitute ? [substitute.placeholder] : [];
  const traced = events.map(withActiveTrace);
  // Only traced events add the two columns (untraced: the statement is the one it always was).
  const withTrace = traced.some((event) => event.traceparent !== undefined);
  const tuples: string[] = [];
  for (const event of traced) {
    const n = params.length;
    params.push(
      event.id,
      options.topic ?? topicForEvent(event),
      event.subject,
      laneOf(event.subject),
      event.type,
      JSON.stringify(event),
    );
    const payload = substitute ? `replace($${n + 6}, $1, ${substitute.sqlExpression})` : `$${n + 6}`;
    let tuple = `$${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}::smallint, $${n + 5}, ${payload}`;
    if (withTrace) {
      params.push(event.traceparent ?? null, event.tracestate ?? null);
      tuple += `, $${n + 7}, $${n + 8}`;
    }
    tuples.push(`(${tuple})`);
  }
  const columns = `event_id, topic, message_key, lane, event_type, payload${withTrace ? ', traceparent, tracestate' : ''}`;
  return {
    sql: `INSERT INTO outbox (${columns}) VALUES ${tuples.join(', ')}`,
    params,
  };
}
