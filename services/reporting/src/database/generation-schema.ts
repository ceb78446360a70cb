/*
 * Projections live in one PostgreSQL schema per generation (`reporting_g1`, `reporting_g2`, …):
 * a rebuild fills a new generation while the current one keeps serving, then one transaction
 * points `reporting_current` at it (ADR 0006). Every projection table is created here, so the
 * first migration and every rebuild create exactly the same tables; a later change to them
 * needs a migration that alters every existing generation and a change here.
 */

export function generationSchemaName(generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`Bad generation ${generation}`);
  return `reporting_g${generation}`;
}

/** The statements that create one generation's schema and tables. */
export function generationDdl(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE SCHEMA ${s}`,
    // Pre-aggregated counters per unit and Hanoi day; the meaning of dim1..3 per metric is in METRICS.
    `CREATE TABLE ${s}.daily_counter (
       unit_code text NOT NULL,
       day date NOT NULL,
       metric text NOT NULL,
       dim1 text NOT NULL DEFAULT '',
       dim2 text NOT NULL DEFAULT '',
       dim3 text NOT NULL DEFAULT '',
       value bigint NOT NULL,
       CONSTRAINT daily_counter_pkey PRIMARY KEY (unit_code, day, metric, dim1, dim2, dim3)
     )`,
    `CREATE INDEX daily_counter_by_metric_day ON ${s}.daily_counter (metric, day)`,
    // Where each dossier stands now: "in progress now" and "overdue now" are counted from here.
    `CREATE TABLE ${s}.dossier_state (
       dossier_id uuid PRIMARY KEY,
       unit_code text NOT NULL,
       status text,
       last_sequence integer NOT NULL,
       last_event_time timestamptz NOT NULL,
       due_at timestamptz,
       resolved_at timestamptz,
       procedure_code text,
       channel text,
       online_level text,
       received_at timestamptz
     )`,
    `CREATE INDEX dossier_state_by_unit_status ON ${s}.dossier_state (unit_code, status)`,
    // Freshness: how far each topic-partition has been applied (partition -1: the live consumer
    // applied it without telling the partition, see ADR 0006).
    `CREATE TABLE ${s}.stream_position (
       topic text NOT NULL,
       kafka_partition integer NOT NULL,
       last_offset bigint,
       max_event_time timestamptz NOT NULL,
       events_applied bigint NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT stream_position_pkey PRIMARY KEY (topic, kafka_partition)
     )`,
    // Event ids a rebuild applied: it reads the topics without the live inbox, so it deduplicates here.
    `CREATE TABLE ${s}.rebuild_seen_event (event_id uuid PRIMARY KEY)`,
  ];
}
