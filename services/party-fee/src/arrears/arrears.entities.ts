import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';

@Entity({ name: 'party_fee_arrears_flags' })
export class PartyFeeArrearsFlag {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ name: 'as_of_period', type: 'text' }) asOfPeriod!: string;
  @Column({ name: 'unpaid_periods', type: 'text', array: true }) unpaidPeriods!: string[];
  @VndColumn('outstanding_vnd') outstandingVnd!: number;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ name: 'flagged_at', type: 'timestamptz' }) flaggedAt!: Date;
}
