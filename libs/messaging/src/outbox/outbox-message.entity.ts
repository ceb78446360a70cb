import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One pending or published event of the transactional outbox (table created by messagingMigrations). */
@Entity({ name: 'outbox' })
@Index('outbox_pending_by_lane', ['lane', 'position'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  /** Publish order. bigint comes back from pg as a string, which keeps its full precision. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  position!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  /** The Kafka key: the event's subject (aggregate id). */
  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ type: 'smallint' })
  lane!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  /** The exact JSON written to Kafka (text, not jsonb: jsonb would reorder keys and change the payload hash). */
  @Column({ type: 'text' })
  payload!: string;

  /** The event's W3C trace context (CloudEvents distributed tracing), null when not traced. */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ type: 'text', nullable: true })
  tracestate!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
