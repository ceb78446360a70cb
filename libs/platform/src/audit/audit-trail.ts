import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import {
  currentRequestContext,
  type RequestContext,
  runWithRequestContext,
} from '../observability/request-context';
import { combineStatements, type SqlStatement } from '../database/statements';
import { auditRecordMac, DEVELOPMENT_AUDIT_KEY } from './audit-chain';
import {
  AUDIT_APPENDED,
  AUDIT_CHAIN_OPTIONS,
  AuditChainLinker,
  type AuditChainOptions,
} from './audit-chain-linker';
import type { AuditRecord } from './audit-record.entity';

export type AuditOutcome = 'succeeded' | 'denied' | 'rejected' | 'failed';

export interface AuditEntry {
  /** What was done, as a verb phrase of the domain: `dossier.receive`, `report.assign`. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** The unit that owns the target. */
  unitCode?: string;
  outcome?: AuditOutcome;
  /** Outside a request (a consumer, a job): who acts. Inside one, the caller is taken from the context. */
  actor?: Pick<AuthenticatedUser, 'subject' | 'roles' | 'unitCodes'>;
}

// The record, and its place in the linker's queue (the two are combined into one statement).
const INSERT_RECORD_SQL = `
  INSERT INTO platform_audit_log (id, occurred_at, actor_subject, actor_roles, actor_units, unit_code,
                                  action, target_type, target_id, request_id, correlation_id, outcome, mac)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;
const QUEUE_RECORD_SQL = 'INSERT INTO platform_audit_pending (record_id) VALUES ($1)';

/** The record and its place in the linker's queue, as two statements to combine with others. */
function recordStatements(record: AuditRecord): SqlStatement[] {
  return [
    {
      sql: INSERT_RECORD_SQL,
      params: [
        record.id,
        record.occurredAt,
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
        record.mac,
      ],
    },
    { sql: QUEUE_RECORD_SQL, params: [record.id] },
  ];
}

export interface PreparedAuditRecord {
  record: AuditRecord;
  /** To send in the change's own statement, after the change's statements. */
  statements: SqlStatement[];
  /** Call once that statement has committed: marks the request audited and wakes the chain linker. */
  committed(): void;
}

export interface RecordOptions {
  /**
   * The change's own INSERTs, sent in the same statement as the audit record (one round trip
   * instead of several). They commit with it, and if any fails nothing is recorded.
   */
  alongside?: SqlStatement[];
}

/**
 * Writes audit records. `record(manager, entry)` is called by the service inside the
 * transaction that makes the change, so the change and its record commit or roll back together.
 * It only appends (no lock, no read): the AuditChainLinker hash-chains committed records right
 * after their commit, so concurrent audited transactions never wait for each other.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  private readonly key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly linker?: AuditChainLinker,
    @Optional() @Inject(AUDIT_CHAIN_OPTIONS) options?: AuditChainOptions,
  ) {
    this.key = options?.key ?? DEVELOPMENT_AUDIT_KEY;
  }

  async record(manager: EntityManager, entry: AuditEntry, options: RecordOptions = {}): Promise<AuditRecord> {
    const queryRunner = manager.queryRunner;
    if (!queryRunner?.isTransactionActive) {
      throw new Error('AuditTrail.record must run inside the transaction that makes the change');
    }
    const context = currentRequestContext();
    const record = this.newRecord(entry, context);
    const combined = combineStatements([...(options.alongside ?? []), ...recordStatements(record)]);
    await manager.query(combined.sql, combined.params);
    // Tells the linker (through TypeORM's after-commit event) that this transaction appended.
    queryRunner.data = { ...queryRunner.data, [AUDIT_APPENDED]: true };
    if (context) context.audited = true;
    return record;
  }

  /**
   * For a change made by ONE statement that commits by itself (no explicit transaction, so one
   * round trip): the audit record's statements, to be combined into that statement after the
   * change's own (`combineStatements([...change, ...prepared.statements])`), and `committed()`, to
   * call once the statement has succeeded. The change and its record still commit or fail together.
   */
  prepareRecord(entry: AuditEntry): PreparedAuditRecord {
    const context = currentRequestContext();
    const record = this.newRecord(entry, context);
    return {
      record,
      statements: recordStatements(record),
      committed: () => {
        if (context) context.audited = true;
        this.linker?.wake();
      },
    };
  }

  private newRecord(entry: AuditEntry, context: RequestContext | undefined): AuditRecord {
    const actor = entry.actor ?? context?.user;
    const fields = {
      id: uuidv7(),
      occurredAt: new Date(),
      actorSubject: actor?.subject ?? 'anonymous',
      actorRoles: (actor?.roles ?? []).join(','),
      actorUnits: (actor?.unitCodes ?? []).join(','),
      unitCode: entry.unitCode ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      requestId: context?.requestId ?? null,
      correlationId: context?.correlationId ?? null,
      outcome: entry.outcome ?? 'succeeded',
    };
    // The MAC proves the service wrote the record (the linker chains nothing else).
    return { ...fields, mac: auditRecordMac(fields, this.key) };
  }

  /** For outcomes with no change to commit with (a refused or failed request): its own transaction. */
  async recordStandalone(entry: AuditEntry): Promise<AuditRecord> {
    return this.dataSource.transaction((manager) => this.record(manager, entry));
  }

  /**
   * Called when a state-changing request has been answered. A refusal or failure gets its record
   * here; a success should already have one from the handler's transaction — if not, one is written
   * now (late, outside that transaction) and the omission is logged so it gets fixed.
   */
  async recordUnauditedRequest(
    context: RequestContext,
    input: { action: string; status: number; targetId?: string },
  ): Promise<void> {
    // Anonymous refusals (no or bad token) are logged, not audited: nobody to attribute them to,
    // and a flood of them must not grow this table.
    if (context.audited || !context.user) return;
    const outcome = outcomeForStatus(input.status);
    if (outcome === 'succeeded') {
      this.logger.warn({
        msg: 'state-changing request succeeded without an audit record in its transaction',
        action: input.action,
      });
    }
    try {
      await runWithRequestContext(context, () =>
        this.recordStandalone({
          action: input.action,
          outcome,
          ...(input.targetId ? { targetId: input.targetId } : {}),
        }),
      );
    } catch (error) {
      this.logger.error({ msg: 'could not write audit record', err: error, action: input.action });
    }
  }
}

export function outcomeForStatus(status: number): AuditOutcome {
  if (status < 400) return 'succeeded';
  if (status === 401 || status === 403 || status === 404) return 'denied';
  if (status < 500) return 'rejected';
  return 'failed';
}
