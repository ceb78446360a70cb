import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a link's hash covers, in the form they are stored and read back. */
export interface AuditLink {
  seq: string;
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
  prevHash: string;
  hash: string;
}

/**
 * sha256 over the previous hash and every field, as a JSON array in a fixed order: changing any
 * field, or the order of rows, changes the hash.
 */
export function hashAuditLink(link: Omit<AuditLink, 'hash'>): string {
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
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
    if (hashAuditLink(link) !== link.hash) {
      return this.fail(link.seq, 'hash does not match the record: the record was altered');
    }
    this.previousHash = link.hash;
    this.expectedSeq = seq + 1n;
    this.checked += 1;
    return true;
  }

  /** The chain has an entry at `seq` but the record it links is gone. */
  recordMissing(seq: string): false {
    if (this.broken) return false;
    return this.fail(seq, 'the record this link points to was removed');
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

export function verifyAuditChain(links: Iterable<AuditLink>): AuditChainReport {
  const verifier = new AuditChainVerifier();
  for (const link of links) if (!verifier.push(link)) break;
  return verifier.report();
}
