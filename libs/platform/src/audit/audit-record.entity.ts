import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One state-changing request (or its refusal). Append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE. Its place in the hash chain (position, previous hash, hash) is written just after commit
 * by the AuditChainLinker into the equally append-only `platform_audit_chain`, so that an edit made
 * around the triggers (by a superuser, or on a restored copy) is still detected by verify-audit-chain.
 */
@Entity({ name: 'platform_audit_log' })
export class AuditRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  /** Comma-separated roles the actor held. */
  @Column({ name: 'actor_roles', type: 'text' })
  actorRoles!: string;

  /** Comma-separated unit codes the actor serves. */
  @Column({ name: 'actor_units', type: 'text' })
  actorUnits!: string;

  /** The unit that owns the target, when known. */
  @Column({ name: 'unit_code', type: 'text', nullable: true })
  unitCode!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  /** succeeded | denied | rejected | failed */
  @Column({ type: 'text' })
  outcome!: string;

  /** The service's HMAC over the fields above (auditRecordMac); a record without a valid one is forged. */
  @Column({ type: 'char', length: 64, nullable: true })
  mac!: string | null;
}
