import { type AuditChainReport, AuditChainVerifier, type AuditLink } from './audit-chain';

/** Anything that runs a parameterized query and returns rows: a pg Client or Pool, a DataSource. */
export type RowQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Streams platform_audit_log in seq order, in batches, through the chain verifier. */
export async function verifyAuditChainInDatabase(
  query: RowQuery,
  batchSize = 1_000,
): Promise<AuditChainReport> {
  const verifier = new AuditChainVerifier();
  let after = '0';
  for (;;) {
    const rows = await query(
      `SELECT seq::text AS seq, id::text AS id, occurred_at, actor_subject, actor_roles, actor_units, unit_code,
              action, target_type, target_id, request_id, correlation_id, outcome, prev_hash, hash
       FROM platform_audit_log WHERE platform_audit_log.seq > $1::bigint ORDER BY platform_audit_log.seq LIMIT $2`,
      [after, batchSize],
    );
    for (const row of rows) {
      if (!verifier.push(linkFromRow(row))) return verifier.report();
    }
    if (rows.length < batchSize) return verifier.report();
    after = String(rows[rows.length - 1].seq);
  }
}

function linkFromRow(row: Record<string, unknown>): AuditLink {
  return {
    seq: String(row.seq),
    id: String(row.id),
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(String(row.occurred_at)),
    actorSubject: String(row.actor_subject),
    actorRoles: String(row.actor_roles),
    actorUnits: String(row.actor_units),
    unitCode: (row.unit_code as string | null) ?? null,
    action: String(row.action),
    targetType: (row.target_type as string | null) ?? null,
    targetId: (row.target_id as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    correlationId: (row.correlation_id as string | null) ?? null,
    outcome: String(row.outcome),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}
