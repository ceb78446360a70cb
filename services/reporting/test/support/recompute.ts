import type { CloudEvent } from '@backbone/contracts';
import type { DataSource } from 'typeorm';

/*
 * An independent recomputation of the dossier counters in SQL, from the source rows (one row per
 * unique event, as the dossier service's own tables would hold them): a different code path from
 * the TypeScript fold, with PostgreSQL's own Asia/Ho_Chi_Minh time zone for the day.
 */

export async function loadSourceRows(dataSource: DataSource, events: readonly CloudEvent[]): Promise<void> {
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS source`);
  await dataSource.query(`DROP TABLE IF EXISTS source.event`);
  await dataSource.query(
    `CREATE TABLE source.event (id uuid PRIMARY KEY, type text, unit_code text, subject uuid, sequence int, data jsonb)`,
  );
  for (let i = 0; i < events.length; i += 5_000) {
    const chunk = events.slice(i, i + 5_000);
    await dataSource.query(
      `INSERT INTO source.event SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[], $6::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [
        chunk.map((e) => e.id),
        chunk.map((e) => e.type),
        chunk.map((e) => e.unitcode),
        chunk.map((e) => e.subject),
        chunk.map((e) => e.sequence),
        chunk.map((e) => JSON.stringify(e.data)),
      ],
    );
  }
}

const day = (field: string) => `((data->>'${field}')::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;

/** (unit, day, metric, dim1, dim2, dim3, value) for every dossier metric except the histogram; a zero sum is no row, as in the projection. */
export const RECOMPUTED_COUNTERS_SQL = `
  SELECT unit_code, day, metric, dim1, dim2, dim3, sum(value)::bigint AS value FROM (
    SELECT unit_code, ${day('submittedAt')} AS day, 'dossier.submitted-online' AS metric, data->>'onlineLevel' AS dim1, data->>'procedureCode' AS dim2, '' AS dim3, 1 AS value
      FROM source.event WHERE type = 'dossier.submitted-online.v1'
    UNION ALL SELECT unit_code, ${day('receivedAt')}, 'dossier.received', data->>'channel', data->>'onlineLevel', data->>'procedureCode', 1
      FROM source.event WHERE type = 'dossier.received.v1'
    UNION ALL SELECT unit_code, ${day('receivedAt')}, 'dossier.digitised', data->>'channel', data->>'onlineLevel', data->>'procedureCode', 1
      FROM source.event WHERE type = 'dossier.received.v1' AND (data->>'digitised')::boolean
    UNION ALL SELECT unit_code, ${day('refusedAt')}, 'dossier.refused-at-intake', data->>'channel', data->>'procedureCode', '', 1
      FROM source.event WHERE type = 'dossier.refused-at-intake.v1'
    UNION ALL SELECT unit_code, ${day('resolvedAt')}, 'dossier.resolved', data->>'channel',
        CASE WHEN (data->>'onTime')::boolean THEN 'on-time' ELSE 'late' END, data->>'procedureCode', 1
      FROM source.event WHERE type = 'dossier.resolved.v1'
    UNION ALL SELECT unit_code, ${day('resolvedAt')}, 'dossier.resolve-minutes', data->>'channel',
        CASE WHEN (data->>'onTime')::boolean THEN 'on-time' ELSE 'late' END, data->>'procedureCode', (data->>'workingMinutesTaken')::int
      FROM source.event WHERE type = 'dossier.resolved.v1'
    UNION ALL SELECT unit_code, ${day('returnedAt')}, 'dossier.result-returned', '', '', '', 1 FROM source.event WHERE type = 'dossier.result-returned.v1'
    UNION ALL SELECT unit_code, ${day('withdrawnAt')}, 'dossier.withdrawn', '', '', '', 1 FROM source.event WHERE type = 'dossier.withdrawn.v1'
    UNION ALL SELECT unit_code, ${day('stoppedAt')}, 'dossier.stopped', '', '', '', 1 FROM source.event WHERE type = 'dossier.stopped.v1'
    UNION ALL SELECT unit_code, ${day('detectedAt')}, 'dossier.overdue', data->>'procedureCode', '', '', 1 FROM source.event WHERE type = 'dossier.overdue.v1'
    UNION ALL SELECT unit_code, ${day('requestedAt')}, 'dossier.supplement-requested', '', '', '', 1
      FROM source.event WHERE type = 'dossier.supplement-requested.v1'
    UNION ALL SELECT unit_code, ${day('issuedAt')}, 'dossier.apology-issued', '', '', '', 1 FROM source.event WHERE type = 'dossier.apology-issued.v1'
    UNION ALL SELECT unit_code, ${day('paidAt')}, 'dossier.fee-paid', data->>'paymentChannel', '', '', 1 FROM source.event WHERE type = 'dossier.fee-paid.v1'
    UNION ALL SELECT unit_code, ${day('paidAt')}, 'dossier.fee-paid-vnd', data->>'paymentChannel', '', '', (data->>'amountVnd')::int
      FROM source.event WHERE type = 'dossier.fee-paid.v1'
  ) AS recomputed GROUP BY unit_code, day, metric, dim1, dim2, dim3
  HAVING sum(value) <> 0`;

/** The last status-setting event per dossier, as a status (overdue and apology events set none). */
export const RECOMPUTED_STATUS_SQL = `
  SELECT DISTINCT ON (subject) subject AS dossier_id, unit_code,
    CASE type
      WHEN 'dossier.submitted-online.v1' THEN 'submitted-online'
      WHEN 'dossier.received.v1' THEN 'received'
      WHEN 'dossier.refused-at-intake.v1' THEN 'refused-at-intake'
      WHEN 'dossier.processing-started.v1' THEN 'processing'
      WHEN 'dossier.supplement-requested.v1' THEN 'supplement-requested'
      WHEN 'dossier.supplement-provided.v1' THEN 'processing'
      WHEN 'dossier.payment-requested.v1' THEN 'awaiting-payment'
      WHEN 'dossier.fee-paid.v1' THEN 'processing'
      WHEN 'dossier.resolved.v1' THEN 'resolved'
      WHEN 'dossier.result-returned.v1' THEN 'result-returned'
      WHEN 'dossier.withdrawn.v1' THEN 'withdrawn'
      WHEN 'dossier.stopped.v1' THEN 'stopped'
    END AS status
  FROM source.event
  WHERE type NOT IN ('dossier.overdue.v1', 'dossier.apology-issued.v1')
  ORDER BY subject, sequence DESC`;

/** Rows in one set and not the other, both ways (empty arrays = identical). */
export async function differences(dataSource: DataSource, left: string, right: string) {
  const [onlyLeft, onlyRight] = await Promise.all([
    dataSource.query(`SELECT * FROM (${left}) AS l EXCEPT ALL SELECT * FROM (${right}) AS r LIMIT 20`),
    dataSource.query(`SELECT * FROM (${right}) AS r EXCEPT ALL SELECT * FROM (${left}) AS l LIMIT 20`),
  ]);
  return { onlyLeft, onlyRight };
}

export function projectedCountersSql(schema: string): string {
  return `SELECT unit_code, day, metric, dim1, dim2, dim3, value FROM "${schema}".daily_counter
          WHERE metric LIKE 'dossier.%' AND metric <> 'dossier.resolve-minutes-bucket' AND value <> 0`;
}

export function projectedStatusSql(schema: string): string {
  return `SELECT dossier_id, unit_code, status FROM "${schema}".dossier_state`;
}
