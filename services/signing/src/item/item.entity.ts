import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The sample aggregate: rename it after what the service owns. */
@Entity({ name: 'items' })
export class Item {
  /** UUIDv7: the subject and Kafka key of its events. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The unit (tenant) that owns the item. */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ type: 'text' })
  title!: string;

  /** The day it is due, if any (a calendar day, no time zone). */
  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  /** The subject of the token that recorded it. */
  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  /** Stored in UTC. */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
