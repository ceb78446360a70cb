import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WorkingCalendarRules } from '@backbone/calendar';
import type { DossierStatus } from '../dossier';
import type { ProcedureDefinition } from '../reference-data';

export type DossierChannel = 'direct' | 'online' | 'postal' | 'agent';

const optionalDate = { nullable: true, type: 'timestamptz' } as const;

/**
 * A dossier. Applicant fields are stored only as FieldCipher ciphertexts (column name as the
 * additional data), the national ID also as a blind index for exact search and as the pseudonym
 * that events carry. `version` is the optimistic-concurrency token clients send back
 * (`expectedVersion` / If-Match); `event_sequence` numbers the dossier's events (envelope
 * `sequence`), which the overdue scheduler advances without changing `version`.
 */
@Entity({ name: 'dossiers' })
export class Dossier {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ name: 'procedure_code', type: 'text' })
  procedureCode!: string;

  /** The catalogue entry in force at intake: later edits to the catalogue never change this dossier. */
  @Column({ name: 'procedure_snapshot', type: 'jsonb' })
  procedureSnapshot!: ProcedureDefinition;

  /** The calendar rules in force at intake (ADR 0005). */
  @Column({ name: 'calendar_snapshot', type: 'jsonb' })
  calendarSnapshot!: WorkingCalendarRules;

  @Column({ type: 'text' })
  channel!: DossierChannel;

  @Column({ name: 'online_level', type: 'text' })
  onlineLevel!: 'full' | 'partial' | 'none';

  @Column({ type: 'text' })
  status!: DossierStatus;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'event_sequence', type: 'integer' })
  eventSequence!: number;

  @Column({ name: 'applicant_name_cipher', type: 'text' })
  applicantNameCipher!: string;

  @Column({ name: 'applicant_national_id_cipher', type: 'text' })
  applicantNationalIdCipher!: string;

  @Column({ name: 'applicant_national_id_index', type: 'char', length: 64 })
  applicantNationalIdIndex!: string;

  @Column({ name: 'applicant_phone_cipher', type: 'text', nullable: true })
  applicantPhoneCipher!: string | null;

  @Column({ name: 'applicant_address_cipher', type: 'text', nullable: true })
  applicantAddressCipher!: string | null;

  @Column({ name: 'applicant_pseudonym', type: 'char', length: 64 })
  applicantPseudonym!: string;

  @Column({ type: 'boolean' })
  digitised!: boolean;

  @Column({ name: 'submitted_at', ...optionalDate })
  submittedAt!: Date | null;

  @Column({ name: 'received_at', ...optionalDate })
  receivedAt!: Date | null;

  @Column({ name: 'received_by', type: 'text', nullable: true })
  receivedBy!: string | null;

  /** Statutory due date; moved only by supplement pauses. */
  @Column({ name: 'due_at', ...optionalDate })
  dueAt!: Date | null;

  /** The date promised in the latest apology letter (form 04); the statutory due date stays. */
  @Column({ name: 'promised_due_at', ...optionalDate })
  promisedDueAt!: Date | null;

  /** Set while a supplement is awaited: the clock stands still from here. */
  @Column({ name: 'paused_at', ...optionalDate })
  pausedAt!: Date | null;

  @Column({ name: 'paused_working_minutes', type: 'integer' })
  pausedWorkingMinutes!: number;

  @Column({ name: 'requested_fee_vnd', type: 'integer', nullable: true })
  requestedFeeVnd!: number | null;

  @Column({ name: 'paid_at', ...optionalDate })
  paidAt!: Date | null;

  @Column({ name: 'resolved_at', ...optionalDate })
  resolvedAt!: Date | null;

  @Column({ name: 'result_document_sha256', type: 'text', nullable: true })
  resultDocumentSha256!: string | null;

  @Column({ name: 'signature_id', type: 'uuid', nullable: true })
  signatureId!: string | null;

  @Column({ name: 'signature_completed_at', ...optionalDate })
  signatureCompletedAt!: Date | null;

  /** The document the recorded signature is over: it counts only while it is the result's. */
  @Column({ name: 'signed_document_sha256', type: 'text', nullable: true })
  signedDocumentSha256!: string | null;

  /**
   * The document the signature produced (PAdES: the signed PDF), as `signature.completed.v1`
   * reported it; null when the signature is detached or the producer did not say. Its bytes are
   * kept in `dossier_result_documents` (kind `signed-result`) once staff hand them over.
   */
  @Column({ name: 'signed_result_sha256', type: 'text', nullable: true })
  signedResultSha256!: string | null;

  /** When the signed result's bytes (signedResultSha256) were stored: the result exists. */
  @Column({ name: 'signed_result_stored_at', ...optionalDate })
  signedResultStoredAt!: Date | null;

  @Column({ name: 'returned_at', ...optionalDate })
  returnedAt!: Date | null;

  /** Refused, withdrawn or stopped. */
  @Column({ name: 'closed_at', ...optionalDate })
  closedAt!: Date | null;

  /** Set once, by the scheduler that published dossier.overdue.v1 (exactly once per dossier). */
  @Column({ name: 'overdue_notified_at', ...optionalDate })
  overdueNotifiedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Who moved a dossier from which status to which, when and why. */
@Entity({ name: 'dossier_history' })
export class DossierHistoryEntry {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: DossierStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: DossierStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** The dossier version this transition produced. */
  @Column({ type: 'integer' })
  version!: number;
}

/** Attachment metadata; the files themselves live in the document store. */
@Entity({ name: 'dossier_attachments' })
export class DossierAttachment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({
    name: 'size_bytes',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;
}

/**
 * A dossier's result document (PDF): `result` as the specialist uploaded it (the dossier was resolved
 * with its hash), `signed-result` as the signing service produced it (its hash came with
 * `signature.completed.v1`). Content-addressed: the bytes are kept only when their SHA-256 is the one
 * the dossier expects. Bounded by RESULT_DOCUMENT_MAX_BYTES.
 */
@Entity({ name: 'dossier_result_documents' })
export class DossierResultDocument {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ type: 'text' })
  kind!: 'result' | 'signed-result';

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ name: 'stored_by', type: 'text' })
  storedBy!: string;

  @Column({ name: 'stored_at', type: 'timestamptz' })
  storedAt!: Date;
}

export const DOSSIER_ENTITIES = [Dossier, DossierHistoryEntry, DossierAttachment, DossierResultDocument];
