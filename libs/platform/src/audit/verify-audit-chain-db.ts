import {
  type AuditChainReport,
  AuditChainVerifier,
  type AuditLink,
  DEVELOPMENT_AUDIT_KEY,
  hasValidAuditRecordMac,
} from './audit-chain';
import { type AuditCheckpoint, compareWithCheckpoint } from './audit-checkpoint';

/** Anything that runs a parameterized query and returns rows: a pg Client or Pool, a DataSource. */
export type RowQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export interface VerifyAuditChainOptions {
  /** AUDIT_MAC_KEY (the development key when absent). */
  key?: Buffer;
  /** The latest checkpoint kept outside the database: the chain must reach it, with its hash. */
  checkpoint?: AuditCheckpoint;
}

/**
 * Streams the chain (`platform_audit_chain` in seq order, joined to the records it links) in
 * batches through the chain verifier. A chain entry whose record is gone is a broken link; a chain
 * shorter than the checkpoint, or with another hash at its seq, is truncated or rewritten.
 */
export async function verifyAuditChainInDatabase(
  query: RowQuery,
  batchSize = 1_000,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainReport> {
  const verifier = new AuditChainVerifier(options.key ?? DEVELOPMENT_AUDIT_KEY);
  const report = await streamChain(query, batchSize, verifier, options.checkpoint?.seq);
  if (!report.result.intact || !options.checkpoint) return report.result;
  const comparison = compareWithCheckpoint(verifier.head().seq, report.hashAtCheckpoint, options.checkpoint);
  if (comparison.ok) return report.result;
  return {
    intact: false,
    checked: report.result.checked,
    brokenAtSeq: comparison.position!,
    reason: comparison.reason!,
  };
}

async function streamChain(
  query: RowQuery,
  batchSize: number,
  verifier: AuditChainVerifier,
  checkpointSeq: string | undefined,
): Promise<{ result: AuditChainReport; hashAtCheckpoint?: string }> {
  let hashAtCheckpoint: string | undefined;
  const done = () => ({ result: verifier.report(), hashAtCheckpoint });
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
      if (!pushed) return done();
      if (String(row.seq) === checkpointSeq) hashAtCheckpoint = String(row.hash);
    }
    if (rows.length < batchSize) return done();
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

/**
 * Records in the log that the chain does not hold and that carry no valid service MAC: inserted by
 * SQL, not by the service (the linker refuses them). Each is named with the seq it follows.
 */
export async function findForgedAuditRecords(
  query: RowQuery,
  key: Buffer = DEVELOPMENT_AUDIT_KEY,
): Promise<{ id: string; occurredAt: Date; afterSeq: string }[]> {
  const rows = await query(
    `SELECT l.id::text AS id, l.occurred_at, l.actor_subject, l.actor_roles, l.actor_units, l.unit_code,
            l.action, l.target_type, l.target_id, l.request_id, l.correlation_id, l.outcome, l.mac,
            (SELECT coalesce(max(c.seq), 0)::text FROM platform_audit_chain c
               JOIN platform_audit_log p ON p.id = c.record_id WHERE p.occurred_at <= l.occurred_at) AS after_seq
     FROM platform_audit_log l
     WHERE NOT EXISTS (SELECT 1 FROM platform_audit_chain c WHERE c.record_id = l.id)
     ORDER BY l.occurred_at, l.id`,
    [],
  );
  return rows
    .filter((row) => {
      const link = linkFromRow({ ...row, seq: '0', prev_hash: '', hash: '' });
      return !hasValidAuditRecordMac({ ...link, mac: (row.mac as string | null) ?? null }, key);
    })
    .map((row) => ({
      id: String(row.id),
      occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(String(row.occurred_at)),
      afterSeq: String(row.after_seq),
    }));
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
