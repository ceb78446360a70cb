import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A validation report kept on request (`?store=true`). */
@Entity({ name: 'validation_reports' })
export class StoredValidationReport {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The unit the caller validated for (tenant of the record). */
  @Column({ name: 'unit_code', type: 'text', nullable: true })
  unitCode!: string | null;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'document_sha256', type: 'text' })
  documentSha256!: string;

  @Column({ type: 'text' })
  indication!: string;

  @Column({ name: 'sub_indication', type: 'text', nullable: true })
  subIndication!: string | null;

  @Column({ type: 'jsonb' })
  report!: object;

  @Column({ name: 'validated_at', type: 'timestamptz' })
  validatedAt!: Date;
}
