import { Column, Entity, PrimaryColumn } from 'typeorm';

/** pending → completed | rejected | timed-out: the remote-signing saga of one task by one signer. */
export const SIGNING_SESSION_STATUSES = ['pending', 'completed', 'rejected', 'timed-out'] as const;
export type SigningSessionStatus = (typeof SIGNING_SESSION_STATUSES)[number];

const bytes = { type: 'bytea', nullable: true } as const;

/**
 * A signing session (the saga of `signature.requested` → `completed` | `rejected` | `timed-out`);
 * its id is the events' `signatureId`. It keeps the document to sign until it ends and, once
 * completed, the signed PDF the signer's client hands to the dossier service.
 */
@Entity({ name: 'signing_sessions' })
export class SigningSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ name: 'dossier_code', type: 'text' })
  dossierCode!: string;

  /** The signer (the token's `sub`, a staff UUIDv7): only they confirm or reject. */
  @Column({ name: 'signer_id', type: 'text' })
  signerId!: string;

  /** The signer's own certificate chosen at the start (signing-crypto's certificate record). */
  @Column({ name: 'certificate_id', type: 'text' })
  certificateId!: string;

  @Column({ type: 'text' })
  status!: SigningSessionStatus;

  @Column({ name: 'document_sha256', type: 'char', length: 64 })
  documentSha256!: string;

  /** The PDF to sign; cleared when the session ends. */
  @Column({ name: 'document', ...bytes, select: false })
  document!: Buffer | null;

  @Column({ type: 'boolean' })
  visible!: boolean;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** The signed PDF (completed sessions), as produced by the PAdES signer. */
  @Column({ name: 'signed_document', ...bytes, select: false })
  signedDocument!: Buffer | null;

  @Column({ name: 'signed_document_sha256', type: 'char', length: 64, nullable: true })
  signedDocumentSha256!: string | null;

  @Column({ name: 'certificate_serial', type: 'text', nullable: true })
  certificateSerial!: string | null;

  /** The signer's reason (rejected sessions). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Wrong second-factor codes sent for this session (the session is rejected at the limit). */
  @Column({ name: 'failed_attempts', type: 'integer' })
  failedAttempts!: number;

  /** The envelope `sequence` of the session's last event (1 = requested). */
  @Column({ name: 'event_sequence', type: 'integer' })
  eventSequence!: number;
}
