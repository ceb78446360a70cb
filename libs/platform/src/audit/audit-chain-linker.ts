import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { DEVELOPMENT_AUDIT_KEY, GENESIS_HASH, hasValidAuditRecordMac, hashAuditLink } from './audit-chain';
import type { AuditCheckpoint, AuditCheckpointWriter } from './audit-checkpoint';
import { linkFromRow } from './verify-audit-chain-db';

/** The audit key and checkpointing; PlatformModule provides them from the configuration. */
export const AUDIT_CHAIN_OPTIONS = Symbol('AUDIT_CHAIN_OPTIONS');

export interface AuditChainOptions {
  /** AUDIT_MAC_KEY: record MACs and link hashes; the database never holds it. */
  key: Buffer;
  /** Where signed checkpoints go (outside the database); none = no checkpoints. */
  checkpoints?: AuditCheckpointWriter;
  /** A checkpoint at least this often while the service runs (AUDIT_CHECKPOINT_INTERVAL_MS). */
  checkpointIntervalMs?: number;
}

/** queryRunner.data flag set by AuditTrail.record: this transaction appended an audit record. */
export const AUDIT_APPENDED = 'platform.auditAppended';

// Any constant works; it only has to be the same for every linker of this service's database.
const AUDIT_CHAIN_LOCK = 724_011_2025;
/** Records linked per transaction. */
const BATCH_SIZE = 500;
/** The safety net: committed records are linked at the latest this long after their commit. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Builds the audit hash chain after the fact. Requests only append their records (and a queue row
 * in `platform_audit_pending`); this takes the queued, committed records in the order they were
 * queued and writes each one's position, previous hash and hash into the append-only
 * `platform_audit_chain`, under an advisory lock so that several instances of a service extend one
 * line. It runs right after every commit that appended a record (coalesced: one pass at a time,
 * another as soon as it ends if more arrived) and every second as a safety net.
 *
 * Only the linker waits on the lock, and it links hundreds of records per transaction, so audited
 * requests no longer serialize on each other.
 */
@Injectable()
export class AuditChainLinker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditChainLinker');
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastCheckpointAt = 0;
  private readonly key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_CHAIN_OPTIONS) private readonly options?: AuditChainOptions,
  ) {
    this.key = options?.key ?? DEVELOPMENT_AUDIT_KEY;
  }

  onApplicationBootstrap(): void {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const data = event.queryRunner.data as Record<string, unknown> | undefined;
        if (!data?.[AUDIT_APPENDED] || event.queryRunner.isTransactionActive) return;
        delete data[AUDIT_APPENDED];
        this.wake();
      },
    };
    this.dataSource.subscribers.push(subscriber);
    this.timer = setInterval(() => this.wake(), SWEEP_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Links what is still queued (a last pass) and stops. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.stopped = true;
    if (this.dataSource.isInitialized) {
      await this.linkAll().catch(() => undefined);
      if (this.options?.checkpoints) await this.writeCheckpoint().catch(() => undefined);
    }
  }

  /** Asks for a pass; returns at once. Passes never overlap. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.linkAll()
      .then(() => this.checkpointIfDue())
      .catch((error: unknown) => this.logger.error({ msg: 'linking audit records failed', err: error }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async checkpointIfDue(): Promise<void> {
    const interval = this.options?.checkpointIntervalMs ?? 60_000;
    if (!this.options?.checkpoints || Date.now() - this.lastCheckpointAt < interval) return;
    await this.writeCheckpoint();
  }

  /** Writes (and publishes) a signed checkpoint of the chain's current head. */
  async writeCheckpoint(): Promise<AuditCheckpoint | undefined> {
    if (!this.options?.checkpoints) return undefined;
    this.lastCheckpointAt = Date.now();
    const head: { seq: string; hash: string }[] = await this.dataSource.query(
      'SELECT seq::text AS seq, hash FROM platform_audit_chain ORDER BY platform_audit_chain.seq DESC LIMIT 1',
    );
    return this.options.checkpoints.write(head[0] ?? { seq: '0', hash: GENESIS_HASH });
  }

  /** Links until nothing committed is queued; returns how many records were linked. */
  async linkAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const linked = await this.linkBatch();
      total += linked;
      if (linked < BATCH_SIZE) return total;
    }
  }

  /** One transaction: up to BATCH_SIZE queued records get their place in the chain. */
  async linkBatch(batchSize = BATCH_SIZE): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const rows: Record<string, unknown>[] = await manager.query(
        `WITH claimed AS (
           DELETE FROM platform_audit_pending
           WHERE entry_no IN (SELECT entry_no FROM platform_audit_pending ORDER BY entry_no LIMIT $1)
           RETURNING entry_no, record_id
         )
         SELECT l.id::text AS id, l.occurred_at, l.actor_subject, l.actor_roles, l.actor_units, l.unit_code,
                l.action, l.target_type, l.target_id, l.request_id, l.correlation_id, l.outcome, l.mac
         FROM claimed JOIN platform_audit_log l ON l.id = claimed.record_id
         ORDER BY claimed.entry_no`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      // Only what this service wrote gets a place in the chain: a record inserted by SQL has no valid
      // MAC (the key is not in the database). It stays unlinked, and verify-audit-chain names it.
      const genuine = rows.filter((row) => {
        const link = linkFromRow({ ...row, seq: '0', prev_hash: '', hash: '' });
        if (hasValidAuditRecordMac({ ...link, mac: (row.mac as string | null) ?? null }, this.key))
          return true;
        this.logger.error({
          msg: 'audit record without a valid service MAC refused by the chain linker (inserted outside the service?)',
          recordId: link.id,
        });
        return false;
      });
      if (genuine.length === 0) return rows.length;
      const last: { seq: string; hash: string }[] = await manager.query(
        // Qualified: a bare "seq" would sort by the text alias, and "9" > "10".
        'SELECT seq::text AS seq, hash FROM platform_audit_chain ORDER BY platform_audit_chain.seq DESC LIMIT 1',
      );
      let seq = last[0] ? BigInt(last[0].seq) : 0n;
      let prevHash = last[0]?.hash ?? GENESIS_HASH;
      const seqs: string[] = [];
      const ids: string[] = [];
      const prevHashes: string[] = [];
      const hashes: string[] = [];
      for (const row of genuine) {
        seq += 1n;
        const link = linkFromRow({ ...row, seq: String(seq), prev_hash: prevHash, hash: '' });
        const hash = hashAuditLink(link, this.key);
        seqs.push(String(seq));
        ids.push(link.id);
        prevHashes.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await manager.query(
        `INSERT INTO platform_audit_chain (seq, record_id, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::char(64)[], $4::char(64)[])`,
        [seqs, ids, prevHashes, hashes],
      );
      return rows.length;
    });
  }
}
