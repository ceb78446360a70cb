import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit key of development and tests, used when AUDIT_MAC_KEY is not set outside production.
 * It is public (it is in this file), so production refuses it (config/production-secrets.ts).
 */
export const DEVELOPMENT_AUDIT_KEY: Buffer = createHash('sha256')
  .update('two-tier-backbone development audit key (never for production)')
  .digest();

/** The fields of a record its MAC covers: everything the service wrote. */
export interface AuditRecordFields {
  id: string;
  occurredAt: Date;
  actorSubject: string;
  actorRoles: string;
  actorUnits: string;
  unitCode: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  correlationId: string | null;
  outcome: string;
}

/**
 * The service's MAC over a record, written with it. The key lives only in the service's
 * configuration, so a record inserted by SQL (even by the database owner) cannot carry a valid one.
 */
export function auditRecordMac(record: AuditRecordFields, key: Buffer = DEVELOPMENT_AUDIT_KEY): string {
  const canonical = JSON.stringify([
    'audit-record-v1',
    record.id,
    record.occurredAt.toISOString(),
    record.actorSubject,
    record.actorRoles,
    record.actorUnits,
    record.unitCode,
    record.action,
    record.targetType,
    record.targetId,
    record.requestId,
    record.correlationId,
    record.outcome,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

export function hasValidAuditRecordMac(
  record: AuditRecordFields & { mac: string | null },
  key: Buffer = DEVELOPMENT_AUDIT_KEY,
): boolean {
  if (!record.mac || record.mac.length !== 64) return false;
  return timingSafeEqual(Buffer.from(record.mac, 'utf8'), Buffer.from(auditRecordMac(record, key), 'utf8'));
}

/** The fields a link's hash covers, in the form they are stored and read back. */
export interface AuditLink extends AuditRecordFields {
  seq: string;
  prevHash: string;
  hash: string;
}

/**
 * HMAC-SHA256 (AUDIT_MAC_KEY) over the previous hash and every field, as a JSON array in a fixed
 * order: changing any field, or the order of rows, changes the hash, and without the key nobody (not
 * the database owner) can rewrite a record and re-hash the links after it.
 */
export function hashAuditLink(link: Omit<AuditLink, 'hash'>, key: Buffer = DEVELOPMENT_AUDIT_KEY): string {
  const canonical = JSON.stringify([
    link.prevHash,
    String(link.seq),
    link.id,
    link.occurredAt.toISOString(),
    link.actorSubject,
    link.actorRoles,
    link.actorUnits,
    link.unitCode,
    link.action,
    link.targetType,
    link.targetId,
    link.requestId,
    link.correlationId,
    link.outcome,
  ]);
  return createHmac('sha256', key).update(canonical, 'utf8').digest('hex');
}

export type AuditChainReport =
  { intact: true; checked: number } | { intact: false; checked: number; brokenAtSeq: string; reason: string };

/**
 * Checks links in order, fed in batches (the CLI streams the table). The first broken link is the
 * one to investigate: every later link is unverifiable because it chains to it.
 */
export class AuditChainVerifier {
  private previousHash = GENESIS_HASH;
  private expectedSeq = 1n;
  private checked = 0;
  private broken: { brokenAtSeq: string; reason: string } | undefined;
  private lastHash = GENESIS_HASH;

  constructor(private readonly key: Buffer = DEVELOPMENT_AUDIT_KEY) {}

  /** Returns false once a broken link has been found (no need to feed more). */
  push(link: AuditLink): boolean {
    if (this.broken) return false;
    const seq = BigInt(link.seq);
    if (seq !== this.expectedSeq) {
      return this.fail(link.seq, `expected seq ${this.expectedSeq} but found ${seq}: a record was removed`);
    }
    if (link.prevHash !== this.previousHash) {
      return this.fail(
        link.seq,
        'prev_hash does not match the previous record: a record before it was removed or replaced',
      );
    }
    if (hashAuditLink(link, this.key) !== link.hash) {
      return this.fail(link.seq, 'hash does not match the record: the record was altered');
    }
    this.previousHash = link.hash;
    this.lastHash = link.hash;
    this.expectedSeq = seq + 1n;
    this.checked += 1;
    return true;
  }

  /** The chain has an entry at `seq` but the record it links is gone. */
  recordMissing(seq: string): false {
    if (this.broken) return false;
    return this.fail(seq, 'the record this link points to was removed');
  }

  /** The last verified link: what a checkpoint is compared with. */
  head(): { seq: string; hash: string } {
    return { seq: String(this.expectedSeq - 1n), hash: this.lastHash };
  }

  report(): AuditChainReport {
    return this.broken
      ? { intact: false, checked: this.checked, ...this.broken }
      : { intact: true, checked: this.checked };
  }

  private fail(seq: string, reason: string): false {
    this.broken = { brokenAtSeq: seq, reason };
    return false;
  }
}

export function verifyAuditChain(
  links: Iterable<AuditLink>,
  key: Buffer = DEVELOPMENT_AUDIT_KEY,
): AuditChainReport {
  const verifier = new AuditChainVerifier(key);
  for (const link of links) if (!verifier.push(link)) break;
  return verifier.report();
}
