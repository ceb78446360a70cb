import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';
import type { BasisKind, LeaveKind, MemberCategory } from '../fee-rules/fee-rules';

export const MEMBER_STATUSES = ['active', 'transferred', 'removed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * A party member: the aggregate every fee change goes through (readForChange / writeChange on this
 * row, so two payments of one member never allocate the same month twice). The card number and
 * name are stored only encrypted (FieldCipher) with blind indexes for exact search.
 */
@Entity({ name: 'party_members' })
export class PartyMember {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'card_number_cipher', type: 'text' }) cardNumberCipher!: string;
  @Column({ name: 'card_number_index', type: 'text' }) cardNumberIndex!: string;
  @Column({ name: 'name_cipher', type: 'text' }) nameCipher!: string;
  @Column({ name: 'name_index', type: 'text' }) nameIndex!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ type: 'text' }) category!: MemberCategory;
  @Column({ name: 'past_working_age', type: 'boolean' }) pastWorkingAge!: boolean;
  @VndColumn('voluntary_vnd', { nullable: true }) voluntaryVnd!: number | null;
  @Column({ type: 'text' }) status!: MemberStatus;
  /** The first month the member owes a fee. */
  @Column({ name: 'fees_from_period', type: 'text' }) feesFromPeriod!: string;
  /** The reference the member's transfers carry when no payment request names another. */
  @Column({ name: 'payment_reference', type: 'text' }) paymentReference!: string;
  /** Money paid beyond every open month, carried to the months assessed later. */
  @VndColumn('credit_vnd') creditVnd!: number;
  /** The envelope `sequence` of the member's last event. */
  @Column({ name: 'event_sequence', type: 'integer' }) eventSequence!: number;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt!: Date;
  @Column({ name: 'registered_by', type: 'text' }) registeredBy!: string;
}

@Entity({ name: 'party_member_history' })
export class PartyMemberHistoryEntry {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  /** `registered`, `status`, `transferred`, `basis`, `exemption`, `voluntary`. */
  @Column({ type: 'text' }) change!: string;
  @Column({ type: 'jsonb' }) details!: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'text' }) actor!: string;
}

@Entity({ name: 'party_member_bases' })
export class PartyMemberBasis {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'from_period', type: 'text' }) fromPeriod!: string;
  @Column({ type: 'text' }) kind!: BasisKind;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) leave!: LeaveKind;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
}

@Entity({ name: 'party_fee_exemptions' })
export class PartyFeeExemption {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'from_period', type: 'text' }) fromPeriod!: string;
  @Column({ name: 'to_period', type: 'text' }) toPeriod!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
}
