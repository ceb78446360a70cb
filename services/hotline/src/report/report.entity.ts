import type { ReportCategory, ReportChannel, ReportLevel, ReportRejectionReason } from '@backbone/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReportStatus } from './report-lifecycle';

/** One media file sent with a report: metadata only (the file itself stays with the channel). */
export interface MediaMetadata {
  name: string;
  type: string;
  /** Absent when only a URL is known (an Open311 `media_url`). */
  sizeBytes?: number;
  sha256?: string;
  /** Where the channel keeps it, when it said (Open311 `media_url`). */
  url?: string;
}

/**
 * A citizen report (phản ánh, kiến nghị). The reporter's contact details are stored only as
 * FieldCipher ciphertexts (the column name as context) with a blind index for the phone; events
 * carry the pseudonym. `version` is the sequence of the report's last event.
 */
@Entity({ name: 'reports' })
export class Report {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Given to Open311 clients as `token` (GET /open311/v2/tokens/{token}). */
  @Index({ unique: true })
  @Column({ name: 'public_token', type: 'uuid' })
  publicToken!: string;

  @Column({ type: 'text' })
  channel!: ReportChannel;

  /** The taxonomy entry's code (`environment.waste`) and its group (the contracts' category). */
  @Column({ name: 'category_code', type: 'text' })
  categoryCode!: string;

  @Column({ type: 'text' })
  category!: ReportCategory;

  @Column({ type: 'text' })
  level!: ReportLevel;

  @Column({ type: 'text' })
  status!: ReportStatus;

  /** The unit responsible now (the tenant). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  /** How the unit was found: boundary, address, former-name, chosen, duplicate. */
  @Column({ name: 'routed_by', type: 'text' })
  routedBy!: string;

  @Column({ type: 'text' })
  description!: string;

  /** Where the problem is (not the reporter's address): shown to the public as Open311 `address`. */
  @Column({ name: 'location_address', type: 'text', nullable: true })
  locationAddress!: string | null;

  /** The address folded (no tone marks, case, prefixes): duplicates are compared by it. */
  @Column({ name: 'location_normalised', type: 'text', nullable: true })
  locationNormalised!: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat!: number | null;

  @Column({ type: 'double precision', nullable: true })
  long!: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  media!: MediaMetadata[];

  @Column({ name: 'reporter_name_cipher', type: 'text', nullable: true })
  reporterNameCipher!: string | null;

  @Column({ name: 'reporter_phone_cipher', type: 'text', nullable: true })
  reporterPhoneCipher!: string | null;

  @Column({ name: 'reporter_phone_index', type: 'text', nullable: true })
  reporterPhoneIndex!: string | null;

  @Column({ name: 'reporter_email_cipher', type: 'text', nullable: true })
  reporterEmailCipher!: string | null;

  /** The same pseudonym as on the reporter's other events (app account or phone). */
  @Column({ name: 'reporter_pseudonym', type: 'text' })
  reporterPseudonym!: string;

  @Column({ name: 'app_account_id', type: 'uuid', nullable: true })
  appAccountId!: string | null;

  @Column({ name: 'call_id', type: 'uuid', nullable: true })
  callId!: string | null;

  /** The open report this one was linked to as a duplicate. */
  @Column({ name: 'duplicate_of', type: 'uuid', nullable: true })
  duplicateOf!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  /** When the current acceptance clock started: submission, the last transfer or escalation. */
  @Column({ name: 'acceptance_clock_started_at', type: 'timestamptz' })
  acceptanceClockStartedAt!: Date;

  @Column({ name: 'acceptance_due_at', type: 'timestamptz', nullable: true })
  acceptanceDueAt!: Date | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'handling_due_at', type: 'timestamptz', nullable: true })
  handlingDueAt!: Date | null;

  /** The officer (token subject) the unit assigned. */
  @Column({ name: 'assignee', type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'answer_text', type: 'text', nullable: true })
  answerText!: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'smallint', nullable: true })
  rating!: number | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: ReportRejectionReason | null;

  @Column({ name: 'reopen_count', type: 'smallint', default: 0 })
  reopenCount!: number;

  @Column({ type: 'boolean', default: false })
  escalated!: boolean;

  /** The acceptance deadline whose breach was published (report.overdue once per deadline). */
  @Column({ name: 'acceptance_overdue_notified_for', type: 'timestamptz', nullable: true })
  acceptanceOverdueNotifiedFor!: Date | null;

  @Column({ name: 'handling_overdue_notified_for', type: 'timestamptz', nullable: true })
  handlingOverdueNotifiedFor!: Date | null;

  /** The sequence of the report's last event. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One step of a report's life: who, when, from which status to which, for which unit. */
@Entity({ name: 'report_history' })
export class ReportHistoryEntry {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  /** The sequence of the event this step published. */
  @Column({ type: 'integer' })
  sequence!: number;

  /** The event type (report.accepted.v1, …). */
  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  /** The unit the step's event was published for (its envelope `unitcode`). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Accepted/answered within the SLA (those two steps only). */
  @Column({ name: 'within_sla', type: 'boolean', nullable: true })
  withinSla!: boolean | null;

  /** Reason, rating, units, deadline…: what the step carried, no personal data. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
