import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';

/** What a cell sends its committee for a month: the committee's share, by the rule, of what it collected. */
@Entity({ name: 'party_fee_remittances' })
export class PartyFeeRemittance {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'rule_code', type: 'text' }) ruleCode!: string;
  @VndColumn('collected_vnd') collectedVnd!: number;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
}

@Entity({ name: 'party_fee_remittance_confirmations' })
export class PartyFeeRemittanceConfirmation {
  @PrimaryColumn({ name: 'remittance_id', type: 'uuid' }) remittanceId!: string;
  @Column({ name: 'confirmed_at', type: 'timestamptz' }) confirmedAt!: Date;
  @Column({ name: 'confirmed_by', type: 'text' }) confirmedBy!: string;
  @Column({ type: 'text' }) note!: string;
}
