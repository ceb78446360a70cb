import type { ReportCategory } from '@backbone/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of a taxonomy entry (the categories citizens choose from): effective-dated, so a
 * renamed or retired entry keeps its meaning for the reports filed under it. `group` is the
 * category events and reporting use (libs/contracts REPORT_CATEGORIES).
 */
@Entity({ name: 'report_categories' })
export class ReportCategoryVersion {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  /** First Hanoi day in force, inclusive. */
  @PrimaryColumn({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  /** First Hanoi day no longer in force, or null. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ type: 'text' })
  group!: ReportCategory;

  @Column({ name: 'name_vi', type: 'text' })
  nameVi!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

/** One version of the handling limit of normal or complex reports, in working hours. */
@Entity({ name: 'report_handling_limits' })
export class HandlingLimitVersion {
  @PrimaryColumn({ type: 'text' })
  level!: 'normal' | 'complex';

  @PrimaryColumn({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'working_hours', type: 'integer' })
  workingHours!: number;

  /** Where the figure comes from (decision, article). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
