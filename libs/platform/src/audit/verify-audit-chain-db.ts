import { type AuditChainReport, AuditChainVerifier, type AuditLink } from './audit-chain';

/** Anything that runs a parameterized query and returns rows: a pg Client or Pool, a DataSource. */
export type RowQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Streams the chain (`platform_audit_chain` in seq order, joined to the records it links) in
 * batches through the chain verifier. A chain entry whose record is gone is a broken link.
 */
export async function verifyAuditChainInDatabase(
  query: RowQuery,
  batchSize = 1_000,
): Promise<AuditChainReport> {
  const verifier = new AuditChainVerifier();
  let after = '0';
  for (;;) {
    const rows = await query(
      `SELECT c.seq::text AS seq, c.record_id::text AS record_id, c.prev_hash, c.hash,
              l.id::text AS id, l.occurred_at, l.actor_subject, l.actor_roles, l.actor_units, l.unit_code,
              l.action, l.target_type, l.target_id, l.request_id, l.correlation_id, l.outcome
       FROM platform_audit_chain c LEFT JOIN platform_audit_log l ON l.id = c.record_id
       WHERE c.seq > $1::bigint ORDER BY c.seq LIMIT $2`,
      [after, batchSize],
    );
    for (const row of rows) {
      const pushed =
        row.id === null || row.id === undefined
          ? verifier.recordMissing(String(row.seq))
          : verifier.push(linkFromRow(row));
      if (!pushed) return verifier.report();
    }
    if (rows.length < batchSize) return verifier.report();
    after = String(rows[rows.length - 1].seq);
  }
}

export interface UnlinkedAuditRecords {
  /** Records with no place in the chain that are older than the bound. */
  count: number;
  oldestOccurredAt: Date | null;
}

/**
 * Records the linker has not chained although they are older than `olderThanSeconds`: the linker
 * is not running, or a record's queue entry was removed (which would hide the record from the chain).
 * Records are linked within about a second of their commit.
 */
export async function findUnlinkedAuditRecords(
  query: RowQuery,
  olderThanSeconds: number,
): Promise<UnlinkedAuditRecords> {
  const rows = await query(
    `SELECT count(*)::int AS count, min(l.occurred_at) AS oldest
     FROM platform_audit_log l
     WHERE l.occurred_at < now() - make_interval(secs => $1)
       AND NOT EXISTS (SELECT 1 FROM platform_audit_chain c WHERE c.record_id = l.id)`,
    [olderThanSeconds],
  );
  const row = rows[0] ?? {};
  const oldest = row.oldest;
  return {
    count: Number(row.count ?? 0),
    oldestOccurredAt: oldest ? (oldest instanceof Date ? oldest : new Date(String(oldest))) : null,
  };
}

export function linkFromRow(row: Record<string, unknown>): AuditLink {
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
