import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The facade other slices of this service (signing tasks, signing sessions, the demo) use to sign a
 * PDF with the city's PKI: PAdES B-T (CMS with ESS signing-certificate-v2, SubFilter
 * ETSI.CAdES.detached, an RFC 3161 signature timestamp from the city TSA). It never publishes an
 * event: the caller (the signing-session saga) publishes `signature.completed.v1` from the result.
 *
 * Stable interface (signing-flow builds on it): change it only additively.
 */

/** What a signature is over (the same shape as libs/contracts' SignatureReference). */
export interface SignedThingReference {
  kind: 'dossier-result' | 'document';
  /** UUIDv7 of the referenced record (e.g. the dossier id). */
  id: string;
  /** A human-readable code (e.g. the dossier code), at most 100 characters. */
  code?: string;
}

export interface SignPdfRequest {
  /** The whole PDF to sign (not encrypted, at most SIGNING_MAX_DOCUMENT_BYTES). */
  pdf: Buffer;
  /** The staff user who signs (the token's `sub`, UUIDv7): a signer signs only with their own key. */
  signerUserId: string;
  /** The unit the document belongs to: the certificate must have been issued for it. */
  unitCode: string;
  /** A given certificate of the signer's (else their active certificate for the unit). */
  certificateId?: string;
  /** A visible signature stamp on the first page (default false: invisible). */
  visible?: boolean;
  /** /Reason of the signature dictionary, e.g. "Phê duyệt kết quả hồ sơ 000.00.70.H26-260701-0001". */
  reason?: string;
  /** /Location of the signature dictionary, e.g. "Hà Nội". */
  location?: string;
  /** What is signed; stored with the signature record. */
  reference?: SignedThingReference;
  /** The signature's id (UUIDv7), e.g. the saga's signatureId; a fresh one when absent. */
  signatureId?: string;
}

export interface SignPdfOptions {
  /**
   * The caller's transaction: the signature record is written in it (so it commits with the caller's
   * session state, outbox event and audit record). Without it the record commits on its own.
   */
  manager?: EntityManager;
}

export interface SignedPdf {
  signedPdf: Buffer;
  /** The stored signature record's id (= request.signatureId when given). */
  signatureId: string;
  /** SHA-256 (hex) of the PDF as given. */
  documentSha256: string;
  /** SHA-256 (hex) of the signed PDF. */
  signedDocumentSha256: string;
  certificateId: string;
  /** Hex serial of the signer's certificate. */
  certificateSerial: string;
  /** Issuer DN of the signer's certificate (an authority, not a person). */
  certificateIssuer: string;
  /** The signing time in the signed attributes. */
  signedAt: Date;
  /** genTime of the signature timestamp (the city TSA's). */
  timestampedAt: Date;
  hashAlgorithm: 'SHA-256';
  /** JOSE name of the signature algorithm. */
  signatureAlgorithm: 'ES256';
  format: 'PAdES';
  /** Revocation state checked at signing time (always `good`: a revoked certificate is refused). */
  revocationStatus: 'good';
}

export interface CertificateSummary {
  /** UUIDv7 of the certificate record. */
  certificateId: string;
  /** Hex serial number. */
  serialNumber: string;
  holderId: string;
  unitCode: string;
  /** Subject DN (contains the holder's name: personal data, never on Kafka). */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** `revoked` once revoked; an expired certificate stays `active` with notAfter in the past. */
  status: 'active' | 'revoked';
  keyAlgorithm: 'EC-P256';
  /** PEM of the certificate. */
  certificatePem: string;
}

export interface IssueCertificateRequest {
  /** The staff user (UUIDv7) the certificate is for. */
  holderId: string;
  /** The unit the holder signs for (in the subject's OU, and the certificate's tenant). */
  unitCode: string;
  /** The holder's name as it appears in the certificate (CN). */
  commonName: string;
  /** The holder's title, e.g. "Chủ tịch UBND phường" (subject title), optional. */
  title?: string;
  /** Validity in days (default SIGNING_CERTIFICATE_VALIDITY_DAYS). */
  validityDays?: number;
  /** Who asked (the token's `sub`), for the audit record; `system` when programmatic. */
  requestedBy?: string;
}

/** Everything the rest of the service needs from the trust and signature slices. */
export interface DocumentSigningApi {
  signPdf(request: SignPdfRequest, options?: SignPdfOptions): Promise<SignedPdf>;
  findActiveCertificateFor(signerUserId: string, unitCode: string): Promise<CertificateSummary | null>;
  issueCertificate(request: IssueCertificateRequest): Promise<CertificateSummary>;
  /** The active certificate, issued first if there is none (the demo's signer per unit). */
  ensureCertificateFor(request: IssueCertificateRequest): Promise<CertificateSummary>;
}

@Injectable()
export class DocumentSigning implements DocumentSigningApi {
  /**
   * Signs a PDF as PAdES B-T with the signer's own key and stores the signature record (signer,
   * certificate, chain, revocation state, hashes, timestamp, times, outcome) with the signed PDF.
   * Refuses, with a SigningRefusedError subclass (signing-errors.ts) and nothing signed:
   * EmptyDocumentError, DocumentTooLargeError, NotAPdfError, EncryptedPdfError,
   * NoActiveCertificateError, CertificateNotFoundError, CertificateNotOwnedError,
   * CertificateRevokedError, CertificateExpiredError.
   */
  signPdf(request: SignPdfRequest, options: SignPdfOptions = {}): Promise<SignedPdf> {
    void request;
    void options;
    return Promise.reject(new Error('DocumentSigning.signPdf is being implemented'));
  }

  /** The signer's certificate for the unit that is neither revoked nor expired (the newest), or null. */
  findActiveCertificateFor(signerUserId: string, unitCode: string): Promise<CertificateSummary | null> {
    void signerUserId;
    void unitCode;
    return Promise.reject(new Error('DocumentSigning.findActiveCertificateFor is being implemented'));
  }

  /** Issues a signer certificate from the city's issuing CA (key generated and kept encrypted here). */
  issueCertificate(request: IssueCertificateRequest): Promise<CertificateSummary> {
    void request;
    return Promise.reject(new Error('DocumentSigning.issueCertificate is being implemented'));
  }

  ensureCertificateFor(request: IssueCertificateRequest): Promise<CertificateSummary> {
    void request;
    return Promise.reject(new Error('DocumentSigning.ensureCertificateFor is being implemented'));
  }
}
