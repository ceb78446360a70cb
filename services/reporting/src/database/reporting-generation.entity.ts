import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GenerationState = 'building' | 'current' | 'retired' | 'failed';

/** One set of projection tables (a PostgreSQL schema); exactly one is current. */
@Entity({ name: 'reporting_generation' })
export class ReportingGeneration {
  @PrimaryColumn({ type: 'integer' })
  generation!: number;

  @Column({ name: 'schema_name', type: 'text' })
  schemaName!: string;

  @Column({ type: 'text' })
  state!: GenerationState;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'switched_at', type: 'timestamptz', nullable: true })
  switchedAt!: Date | null;

  /** Events a rebuild applied, and how fast: null for the generation the first migration made. */
  @Column({ name: 'events_applied', type: 'bigint', nullable: true })
  eventsApplied!: string | null;

  @Column({ name: 'events_per_second', type: 'numeric', nullable: true })
  eventsPerSecond!: string | null;
}
