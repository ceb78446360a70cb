import { type CloudEvent, eventClassFor, eventTypeOf } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import { type ProjectionDelta, foldEvents } from './fold-events';
import { integerArrayLiteral, textArrayLiteral } from './pg-array-literal';

/** Where a batch's events were read from; the live consumer may not know the partition (-1). */
export interface StreamPosition {
  topic: string;
  partition: number;
  /** Highest Kafka offset applied, when known. */
  lastOffset: string | null;
  maxEventTime: string;
  events: number;
}

export interface EventPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Positions of a batch, per topic-partition. Without Kafka positions (the messaging lib's batch
 * handler passes only events) the topic is the event type's own and the partition is -1.
 */
export function streamPositionsOf(
  events: readonly CloudEvent[],
  positions?: readonly EventPosition[],
): StreamPosition[] {
  const byKey = new Map<string, StreamPosition & { maxEventMillis: number }>();
  // Per event this runs on every record of the batch: one Date.parse, and offsets compared as
  // decimal strings (Kafka offsets are non-negative, without leading zeros) rather than as BigInts.
  events.forEach((event, index) => {
    const position = positions?.[index];
    const eventClass = position ? undefined : eventClassFor(event.type);
    const topic = position?.topic ?? (eventClass ? eventTypeOf(eventClass).topic : 'unknown');
    const partition = position?.partition ?? -1;
    const key = `${topic}\u0000${partition}`;
    const eventMillis = Date.parse(event.time);
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, {
        topic,
        partition,
        lastOffset: position?.offset ?? null,
        maxEventTime: event.time,
        maxEventMillis: eventMillis,
        events: 1,
      });
      return;
    }
    existing.events += 1;
    if (eventMillis > existing.maxEventMillis) {
      existing.maxEventMillis = eventMillis;
      existing.maxEventTime = event.time;
    }
    if (position && (existing.lastOffset === null || offsetAfter(position.offset, existing.lastOffset)))
      existing.lastOffset = position.offset;
  });
  return [...byKey.values()]
    .map(({ maxEventMillis: _, ...position }) => position)
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** `a > b` for two Kafka offsets as decimal strings. */
function offsetAfter(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/**
 * Applies one batch to one generation's tables inside the caller's transaction: one upsert
 * statement per table (counters, dossier states, stream positions), never one per event.
 */
export async function writeProjectionBatch(
  manager: EntityManager,
  schema: string,
  events: readonly CloudEvent[],
  positions?: readonly EventPosition[],
): Promise<ProjectionDelta> {
  const delta = foldEvents(events);
  await writeDelta(manager, schema, delta, streamPositionsOf(events, positions));
  return delta;
}

export async function writeDelta(
  manager: EntityManager,
  schema: string,
  delta: ProjectionDelta,
  positions: readonly StreamPosition[],
): Promise<void> {
  const s = `"${schema}"`;
  const { counters, dossierStates } = delta;
  if (counters.length > 0) {
    await manager.query(
      `INSERT INTO ${s}.daily_counter AS c (unit_code, day, metric, dim1, dim2, dim3, value)
       SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
       ON CONFLICT (unit_code, day, metric, dim1, dim2, dim3) DO UPDATE SET value = c.value + EXCLUDED.value`,
      [
        textArrayLiteral(counters.map((r) => r.unitCode)),
        textArrayLiteral(counters.map((r) => r.day)),
        textArrayLiteral(counters.map((r) => r.metric)),
        textArrayLiteral(counters.map((r) => r.dim1)),
        textArrayLiteral(counters.map((r) => r.dim2)),
        textArrayLiteral(counters.map((r) => r.dim3)),
        integerArrayLiteral(counters.map((r) => r.value)),
      ],
    );
  }
  if (dossierStates.length > 0) {
    // State fields move only forward (a higher sequence wins); descriptive fields fill in whenever unknown.
    await manager.query(
      `INSERT INTO ${s}.dossier_state AS d (dossier_id, unit_code, last_sequence, last_event_time, status, due_at,
         resolved_at, procedure_code, channel, online_level, received_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::timestamptz[],
         $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
       ON CONFLICT (dossier_id) DO UPDATE SET
         status = CASE WHEN EXCLUDED.last_sequence > d.last_sequence THEN COALESCE(EXCLUDED.status, d.status) ELSE d.status END,
         due_at = CASE WHEN EXCLUDED.last_sequence > d.last_sequence THEN COALESCE(EXCLUDED.due_at, d.due_at) ELSE d.due_at END,
         resolved_at = CASE WHEN EXCLUDED.last_sequence > d.last_sequence
           THEN COALESCE(EXCLUDED.resolved_at, d.resolved_at) ELSE d.resolved_at END,
         last_event_time = CASE WHEN EXCLUDED.last_sequence > d.last_sequence
           THEN EXCLUDED.last_event_time ELSE d.last_event_time END,
         last_sequence = GREATEST(d.last_sequence, EXCLUDED.last_sequence),
         procedure_code = COALESCE(d.procedure_code, EXCLUDED.procedure_code),
         channel = COALESCE(d.channel, EXCLUDED.channel),
         online_level = COALESCE(d.online_level, EXCLUDED.online_level),
         received_at = COALESCE(d.received_at, EXCLUDED.received_at)`,
      [
        textArrayLiteral(dossierStates.map((p) => p.dossierId)),
        textArrayLiteral(dossierStates.map((p) => p.unitCode)),
        integerArrayLiteral(dossierStates.map((p) => p.lastSequence)),
        textArrayLiteral(dossierStates.map((p) => p.lastEventTime)),
        textArrayLiteral(dossierStates.map((p) => p.status)),
        textArrayLiteral(dossierStates.map((p) => p.dueAt)),
        textArrayLiteral(dossierStates.map((p) => p.resolvedAt)),
        textArrayLiteral(dossierStates.map((p) => p.procedureCode)),
        textArrayLiteral(dossierStates.map((p) => p.channel)),
        textArrayLiteral(dossierStates.map((p) => p.onlineLevel)),
        textArrayLiteral(dossierStates.map((p) => p.receivedAt)),
      ],
    );
  }
  if (positions.length > 0) {
    await manager.query(
      `INSERT INTO ${s}.stream_position AS p (topic, kafka_partition, last_offset, max_event_time, events_applied, updated_at)
       SELECT t.*, now() FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::bigint[]) AS t
       ON CONFLICT (topic, kafka_partition) DO UPDATE SET
         last_offset = GREATEST(p.last_offset, EXCLUDED.last_offset),
         max_event_time = GREATEST(p.max_event_time, EXCLUDED.max_event_time),
         events_applied = p.events_applied + EXCLUDED.events_applied,
         updated_at = now()`,
      [
        positions.map((p) => p.topic),
        positions.map((p) => p.partition),
        positions.map((p) => p.lastOffset),
        positions.map((p) => p.maxEventTime),
        positions.map((p) => p.events),
      ],
    );
  }
}

/**
 * The current generation's schema, locked FOR SHARE until the caller's transaction ends: a
 * switch (which updates the row) waits for running batches, and batches after it see the new one.
 */
export async function lockCurrentGenerationSchema(manager: EntityManager): Promise<string> {
  const rows: { schema_name: string }[] = await manager.query(
    `SELECT g.schema_name FROM reporting_current c JOIN reporting_generation g USING (generation) FOR SHARE OF c`,
  );
  if (rows.length !== 1) throw new Error('reporting_current has no row: run the reporting migrations');
  return rows[0]!.schema_name;
}

/** The live consumer's batch handler: applies to whichever generation is current. */
export async function applyLiveBatch(
  manager: EntityManager,
  events: CloudEvent[],
  positions?: readonly EventPosition[],
): Promise<ProjectionDelta> {
  const schema = await lockCurrentGenerationSchema(manager);
  return writeProjectionBatch(manager, schema, events, positions);
}
