import { Column, Entity, PrimaryColumn } from 'typeorm';
import { VndColumn } from '../database/columns';

/** One member's fee for one month (unique per member and month), under the rule in force then. */
@Entity({ name: 'party_fee_assessments' })
export class PartyFeeAssessment {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ name: 'rule_code', type: 'text' }) ruleCode!: string;
  @VndColumn('basis_vnd') basisVnd!: number;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ name: 'assessed_at', type: 'timestamptz' }) assessedAt!: Date;
}

/** A correction of an assessment: the change and the new amount, beside the original. */
@Entity({ name: 'party_fee_adjustments' })
export class PartyFeeAdjustment {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'assessment_id', type: 'uuid' }) assessmentId!: string;
  @Column({ name: 'member_id', type: 'uuid' }) memberId!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ name: 'rule_code', type: 'text' }) ruleCode!: string;
  @VndColumn('delta_vnd') deltaVnd!: number;
  @VndColumn('amount_vnd') amountVnd!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'adjusted_at', type: 'timestamptz' }) adjustedAt!: Date;
  @Column({ name: 'adjusted_by', type: 'text' }) adjustedBy!: string;
}
