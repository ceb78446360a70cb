import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';

@Entity({ name: 'party_fee_statements' })
export class PartyFeeStatement {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ type: 'text' }) account!: string;
  @Column({ type: 'text' }) format!: 'camt053' | 'csv';
  @Column({ name: 'statement_reference', type: 'text' }) statementReference!: string;
  @Column({ name: 'content_sha256', type: 'text' }) contentSha256!: string;
  @Column({ name: 'line_count', type: 'integer' }) lineCount!: number;
  @Column({ name: 'new_line_count', type: 'integer' }) newLineCount!: number;
  @Column({ name: 'imported_at', type: 'timestamptz' }) importedAt!: Date;
  @Column({ name: 'imported_by', type: 'text' }) importedBy!: string;
}

export type LineOutcome = 'matched-payment' | 'recorded-payment' | 'unmatched';

@Entity({ name: 'party_fee_statement_lines' })
export class PartyFeeStatementLine {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'statement_id', type: 'uuid' }) statementId!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ type: 'text' }) account!: string;
  /** The bank's entry reference, or a hash of the line: importing a statement again adds nothing. */
  @Column({ name: 'line_key', type: 'text' }) lineKey!: string;
  @Column({ name: 'booked_on', type: 'date' }) bookedOn!: string;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) reference!: string;
  @Column({ name: 'matched_payment_id', type: 'uuid', nullable: true }) matchedPaymentId!: string | null;
  @Column({ type: 'text' }) outcome!: LineOutcome;
  @Column({ name: 'imported_at', type: 'timestamptz' }) importedAt!: Date;
}

@Entity({ name: 'party_fee_line_resolutions' })
export class PartyFeeLineResolution {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'line_id', type: 'uuid' }) lineId!: string;
  @Column({ name: 'payment_id', type: 'uuid', nullable: true }) paymentId!: string | null;
  @Column({ type: 'text' }) note!: string;
  @Column({ name: 'resolved_at', type: 'timestamptz' }) resolvedAt!: Date;
  @Column({ name: 'resolved_by', type: 'text' }) resolvedBy!: string;
}
