import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A remembered creating request: its body hash and, once answered, its response. */
@Entity({ name: 'platform_idempotency_keys' })
export class IdempotencyKeyRecord {
  /** Caller and route: two callers may use the same key without colliding. */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'text' })
  state!: 'in-progress' | 'completed';

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @Column({ name: 'response_type', type: 'text', nullable: true })
  responseType!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
