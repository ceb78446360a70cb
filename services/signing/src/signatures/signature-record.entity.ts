import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StoredSignatureFormat = 'PAdES' | 'CAdES' | 'JWS';

/**
 * One completed signature and the evidence an auditor needs to verify it later: who signed, with
 * which certificate (serial, subject, issuer, chain), its revocation state at signing time, what was
 * signed (hash and algorithm), the timestamp, the times, the outcome; and the signed document itself.
 */
@Entity({ name: 'signatures' })
export class SignatureRecord {
  /** UUIDv7 (the saga's signatureId when the signing session made it). */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  format!: StoredSignatureFormat;

  /** PAdES-BASELINE-T, CAdES-BASELINE-T, JWS. */
  @Column({ type: 'text' })
  level!: string;

  @Column({ name: 'unit_code', type: 'text' })
  unitCode!: string;

  /** The staff user who signed. */
  @Column({ name: 'signer_id', type: 'text' })
  signerId!: string;

  @Column({ name: 'certificate_id', type: 'uuid' })
  certificateId!: string;

  @Column({ name: 'certificate_serial', type: 'text' })
  certificateSerial!: string;

  @Column({ name: 'certificate_subject', type: 'text' })
  certificateSubject!: string;

  @Column({ name: 'certificate_issuer', type: 'text' })
  certificateIssuer!: string;

  /** PEM certificates, signer first, up to the root. */
  @Column({ name: 'certificate_chain_pem', type: 'text' })
  certificateChainPem!: string;

  /** `good` (a revoked certificate is refused before signing). */
  @Column({ name: 'revocation_status', type: 'text' })
  revocationStatus!: 'good';

  /** Where the revocation state came from: the issuing CA's own register (its CRL's source). */
  @Column({ name: 'revocation_source', type: 'text' })
  revocationSource!: string;

  @Column({ name: 'revocation_checked_at', type: 'timestamptz' })
  revocationCheckedAt!: Date;

  /** SHA-256 (hex) of the document as given. */
  @Column({ name: 'document_sha256', type: 'text' })
  documentSha256!: string;

  /** Digest algorithm inside the signature. */
  @Column({ name: 'hash_algorithm', type: 'text' })
  hashAlgorithm!: 'SHA-256';

  /** JOSE name, e.g. ES256. */
  @Column({ name: 'signature_algorithm', type: 'text' })
  signatureAlgorithm!: string;

  /** SHA-256 (hex) of what `signed_document` holds. */
  @Column({ name: 'signed_document_sha256', type: 'text' })
  signedDocumentSha256!: string;

  /** The signed PDF (PAdES), the detached CMS (CAdES) or the compact JWS. */
  @Column({ name: 'signed_document', type: 'bytea' })
  signedDocument!: Buffer;

  @Column({ name: 'signed_document_media_type', type: 'text' })
  signedDocumentMediaType!: string;

  /** The RFC 3161 signature timestamp token (DER), when the format carries one. */
  @Column({ name: 'timestamp_token', type: 'bytea', nullable: true })
  timestampToken!: Buffer | null;

  @Column({ name: 'timestamp_gen_time', type: 'timestamptz', nullable: true })
  timestampGenTime!: Date | null;

  /** The claimed signing time. */
  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt!: Date;

  /** When the signature record was completed. */
  @Column({ name: 'completed_at', type: 'timestamptz' })
  completedAt!: Date;

  @Column({ type: 'text' })
  outcome!: 'completed';

  @Column({ name: 'reference_kind', type: 'text', nullable: true })
  referenceKind!: string | null;

  @Column({ name: 'reference_id', type: 'text', nullable: true })
  referenceId!: string | null;

  @Column({ name: 'reference_code', type: 'text', nullable: true })
  referenceCode!: string | null;
}
