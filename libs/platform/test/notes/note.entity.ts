import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tiny unit-owned record with one personal field, to exercise the platform end to end. */
@Entity({ name: 'test_notes' })
export class Note {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  @Column({ type: 'text' })
  title!: string;

  /** AES-GCM ciphertext (FieldCipher), never the value. */
  @Column({ name: 'national_id_cipher', type: 'text' })
  nationalIdCipher!: string;

  /** Blind index for exact-match search. */
  @Column({ name: 'national_id_index', type: 'char', length: 64 })
  nationalIdIndex!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;
}
