import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The issuing CA's current CRL (one row), re-signed on every revocation and before it goes stale. */
@Entity({ name: 'published_crl' })
export class PublishedCrl {
  /** Always 1. */
  @PrimaryColumn({ type: 'int' })
  id!: number;

  /** The CRL number extension: grows by one with each CRL. */
  @Column({ name: 'crl_number', type: 'bigint' })
  crlNumber!: string;

  @Column({ name: 'this_update', type: 'timestamptz' })
  thisUpdate!: Date;

  @Column({ name: 'next_update', type: 'timestamptz' })
  nextUpdate!: Date;

  /** How many revoked certificates it lists (with latestRevokedAt: whether it is current). */
  @Column({ name: 'revoked_count', type: 'int' })
  revokedCount!: number;

  @Column({ name: 'latest_revoked_at', type: 'timestamptz', nullable: true })
  latestRevokedAt!: Date | null;

  /** The CRL, DER. */
  @Column({ type: 'bytea' })
  der!: Buffer;
}
