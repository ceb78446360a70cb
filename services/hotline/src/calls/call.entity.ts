import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the PBX says became of a call. */
export const CALL_DISPOSITIONS = ['answered', 'abandoned', 'transferred', 'voicemail'] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];

/**
 * A call to 1022, from the PBX's webhook or its CDR file. The caller's number is stored only as a
 * FieldCipher ciphertext (context `calls.caller_number`), searchable by its blind index; events
 * carry its pseudonym. `pbxUniqueId` (Asterisk's `uniqueid`) makes a call arrive once however often
 * the PBX sends it.
 */
@Entity({ name: 'calls' })
export class Call {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'pbx_unique_id', type: 'text' })
  pbxUniqueId!: string;

  @Column({ type: 'text' })
  line!: string;

  @Column({ name: 'caller_number_cipher', type: 'text', nullable: true })
  callerNumberCipher!: string | null;

  @Column({ name: 'caller_number_index', type: 'text', nullable: true })
  callerNumberIndex!: string | null;

  @Column({ name: 'caller_pseudonym', type: 'text' })
  callerPseudonym!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds!: number | null;

  @Column({ name: 'billable_seconds', type: 'integer', nullable: true })
  billableSeconds!: number | null;

  @Column({ type: 'text', nullable: true })
  queue!: string | null;

  @Column({ type: 'text', nullable: true })
  agent!: string | null;

  @Column({ type: 'text', nullable: true })
  disposition!: CallDisposition | null;

  /** call.ended.v1's outcome, once ended. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'inquiry_category', type: 'text', nullable: true })
  inquiryCategory!: string | null;

  @Column({ name: 'inquiry_answer', type: 'text', nullable: true })
  inquiryAnswer!: string | null;

  @Column({ name: 'inquiry_answered_at', type: 'timestamptz', nullable: true })
  inquiryAnsweredAt!: Date | null;

  @Column({ name: 'inquiry_answered_by', type: 'text', nullable: true })
  inquiryAnsweredBy!: string | null;

  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId!: string | null;

  /** `webhook` or `cdr-import`. */
  @Column({ type: 'text' })
  source!: string;

  /** The 1022 centre's unit (the tenant of call records and their events). */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
