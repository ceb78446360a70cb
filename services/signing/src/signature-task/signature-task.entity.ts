import { Column, Entity, PrimaryColumn } from 'typeorm';

/** open → signed | rejected; a task is the request to sign one document of one dossier. */
export const SIGNATURE_TASK_STATUSES = ['open', 'signed', 'rejected'] as const;
export type SignatureTaskStatus = (typeof SIGNATURE_TASK_STATUSES)[number];

/**
 * A dossier result waiting for its unit head's signature: made from `dossier.resolved.v1` when the
 * procedure's result must be signed (ADR 0012). It holds the document's hash only; the bytes come
 * from the dossier service through the signer's client and are checked against it.
 */
@Entity({ name: 'signature_tasks' })
export class SignatureTask {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ name: 'dossier_code', type: 'text' })
  dossierCode!: string;

  @Column({ name: 'procedure_code', type: 'text' })
  procedureCode!: string;

  /** The dossier's due date at resolution: the queue shows it. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'document_sha256', type: 'char', length: 64 })
  documentSha256!: string;

  @Column({ type: 'text' })
  status!: SignatureTaskStatus;

  /** When the dossier was resolved: the queue is oldest first by this. */
  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** The signature saga that completed or rejected the task. */
  @Column({ name: 'signature_id', type: 'uuid', nullable: true })
  signatureId!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The dossier event the task was made from (one task per event). */
  @Column({ name: 'source_event_id', type: 'uuid' })
  sourceEventId!: string;
}
