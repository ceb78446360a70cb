import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A grassroots party committee (đảng ủy xã/phường), by unit code, effective from a day. */
@Entity({ name: 'party_committees' })
export class PartyCommittee {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}

/**
 * A party cell (chi bộ) as it is now: its committee (unit code), the bank account members transfer
 * their fees to, and its treasurer. Each change is also a PartyCellVersion (effective-dated).
 */
@Entity({ name: 'party_cells' })
export class PartyCell {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** A stable slug, e.g. `chi-bo-to-dan-pho-3-tay-ho`: the `partyCellId` on Kafka. */
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ name: 'bank_bin', type: 'text' }) bankBin!: string;
  @Column({ name: 'bank_account', type: 'text' }) bankAccount!: string;
  @Column({ name: 'treasurer_subject', type: 'text', nullable: true }) treasurerSubject!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'party_cell_versions' })
export class PartyCellVersion {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'cell_id', type: 'uuid' }) cellId!: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom!: string;
  @Column({ name: 'unit_code', type: 'text' }) unitCode!: string;
  @Column({ name: 'bank_bin', type: 'text' }) bankBin!: string;
  @Column({ name: 'bank_account', type: 'text' }) bankAccount!: string;
  @Column({ name: 'treasurer_subject', type: 'text', nullable: true }) treasurerSubject!: string | null;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
}
