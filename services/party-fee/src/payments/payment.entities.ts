import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';

export const PAYMENT_METHODS = ['vietqr', 'portal', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A VietQR code issued for a member: the reference and amount a bank transfer must carry. */
@Entity({ name: 'party_fee_payment_requests' })
export class PartyFeePaymentRequest {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ type: 'text' }) reference!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) payload!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
}

/** Money received from a member, with its receipt number (unique per cell and year). Never edited. */
@Entity({ name: 'party_fee_payments' })
export class PartyFeePayment {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) method!: PaymentMethod;
  @Column({ type: 'text' }) channel!: 'online' | 'cash';
  @Column({ type: 'text', nullable: true }) reference!: string | null;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  /** The portal's transaction id: one payment per portal transaction. */
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  /** The part that paid no open month and became credit. */
  @VndColumn('credited_vnd') creditedVnd!: number;
  @Column({ name: 'paid_at', type: 'timestamptz' }) paidAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
  @Column({ name: 'receipt_year', type: 'integer' }) receiptYear!: number;
  @Column({ name: 'receipt_number', type: 'integer' }) receiptNumber!: number;
}

@Entity({ name: 'party_fee_reversals' })
export class PartyFeeReversal {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'payment_id', type: 'uuid' }) paymentId!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'reversed_at', type: 'timestamptz' }) reversedAt!: Date;
  @Column({ name: 'reversed_by', type: 'text' }) reversedBy!: string;
}

export const ALLOCATION_SOURCES = ['payment', 'credit', 'reversal', 'adjustment'] as const;
export type AllocationSource = (typeof ALLOCATION_SOURCES)[number];

@Entity({ name: 'party_fee_allocations' })
export class PartyFeeAllocation {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'assessment_id', type: 'uuid' }) assessmentId!: string;
  @Column({ type: 'text' }) period!: string;
  /** The member's cell when the money met the fee. */
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) source!: AllocationSource;
  @Column({ name: 'payment_id', type: 'uuid', nullable: true }) paymentId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'party_fee_arrears_moves' })
export class PartyFeeArrearsMove {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'assessment_id', type: 'uuid' }) assessmentId!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'from_cell_id', type: 'uuid' }) fromCellId!: string;
  @Column({ name: 'from_unit_code', type: 'text' }) fromUnitCode!: string;
  @Column({ name: 'to_cell_id', type: 'uuid' }) toCellId!: string;
  @Column({ name: 'to_unit_code', type: 'text' }) toUnitCode!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ name: 'moved_at', type: 'timestamptz' }) movedAt!: Date;
}
