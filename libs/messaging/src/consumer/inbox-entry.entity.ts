import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event one consumer group has applied (table created by messagingMigrations). */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** SHA-256 (hex) of the record value: the same id with another hash is a conflict. */
  @Column({ name: 'payload_hash', type: 'char', length: 64 })
  payloadHash!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'kafka_partition', type: 'integer' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @Column({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
