import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signer's TOTP second factor (RFC 6238). The secret is stored only as a FieldCipher ciphertext
 * (the platform's field encryption); `last_used_step` makes every code usable once.
 */
@Entity({ name: 'signer_second_factors' })
export class SignerSecondFactor {
  /** The signer (the token's `sub`). */
  @PrimaryColumn({ name: 'signer_id', type: 'text' })
  signerId!: string;

  @Column({ name: 'secret_cipher', type: 'text' })
  secretCipher!: string;

  /** `pending` until a first code proves the app has the secret, then `active`. */
  @Column({ type: 'text' })
  status!: 'pending' | 'active';

  @Column({ name: 'enrolled_at', type: 'timestamptz' })
  enrolledAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  /** The TOTP step of the last code accepted (null: none yet). */
  @Column({
    name: 'last_used_step',
    type: 'bigint',
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  lastUsedStep!: number | null;
}
