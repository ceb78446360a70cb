import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CertificateRevocationReason } from '@backbone/contracts';

export type CertificateStatus = 'active' | 'revoked';

/** A signer certificate issued by the city's issuing CA, with the handle of its key. */
@Entity({ name: 'signer_certificates' })
export class SignerCertificate {
  /** UUIDv7. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Hex serial, unique (the subject and key of the certificate's events). */
  @Column({ name: 'serial_number', type: 'text' })
  serialNumber!: string;

  /** The staff user (UUIDv7) who holds the certificate. */
  @Column({ name: 'holder_id', type: 'text' })
  holderId!: string;

  /** The unit the holder signs for: the tenant of the record, and OU in the subject. */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  /** Subject DN (names a person: personal data, never on Kafka). */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter!: Date;

  /** The certificate, DER. */
  @Column({ name: 'certificate_der', type: 'bytea' })
  certificateDer!: Buffer;

  /** Which SignatureCreationDevice holds the key (`local`, `pkcs11`, ...). */
  @Column({ name: 'key_device', type: 'text' })
  keyDevice!: string;

  /** The device's handle of the key; for `local`, the PKCS#8 key encrypted with FieldCipher. */
  @Column({ name: 'key_handle', type: 'text' })
  keyHandle!: string;

  @Column({ name: 'key_algorithm', type: 'text' })
  keyAlgorithm!: 'EC-P256';

  @Column({ type: 'text' })
  status!: CertificateStatus;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason!: CertificateRevocationReason | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'issued_by', type: 'text' })
  issuedBy!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  /** The certificate's event count: the `sequence` of its last event (issued = 1). */
  @Column({ type: 'int' })
  version!: number;

  /** When certificate.expiring.v1 was raised for it (once per certificate). */
  @Column({ name: 'expiry_warned_at', type: 'timestamptz', nullable: true })
  expiryWarnedAt!: Date | null;
}
