import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { uuidv7 } from '@backbone/contracts';
import { type EntityManager, Repository } from 'typeorm';
import { certificateSummary, CertificateAuthority } from '../certificates/certificate-authority';
import type { SignerCertificate } from '../certificates/signer-certificate.entity';
import { SigningConfig } from '../config';
import { x509 } from '../pki/crypto-provider';
import { createCmsSignature, sha256 } from '../signature-formats/cms-signed-data';
import { createJws } from '../signature-formats/jws';
import { loadSignablePdf, signPdfAsPades } from '../signature-formats/pades';
import { SignatureRecord, type StoredSignatureFormat } from '../signatures/signature-record.entity';
import { TimestampAuthority } from '../timestamp-authority/timestamp-authority';
import { SIGNATURE_CREATION_DEVICE, type SignatureCreationDevice } from './signature-creation-device';
import {
  CertificateExpiredError,
  CertificateNotFoundError,
  CertificateNotOwnedError,
  CertificateRevokedError,
  DocumentTooLargeError,
  EmptyDocumentError,
  NoActiveCertificateError,
  NotAPdfError,
} from './signing-errors';

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

/** A detached CAdES signature (any file) or a JWS (a JSON document): the same signer rules as signPdf. */
export interface SignOtherRequest {
  document: Buffer;
  signerUserId: string;
  unitCode: string;
  certificateId?: string;
  reference?: SignedThingReference;
  signatureId?: string;
}

/** A CAdES or JWS signature and the same evidence as SignedPdf. */
export interface SignedOther extends Omit<SignedPdf, 'signedPdf' | 'format' | 'timestampedAt'> {
  format: 'CAdES' | 'JWS';
  /** The detached CMS (DER, `.p7s`) or the compact JWS (ASCII). */
  signature: Buffer;
  timestampedAt: Date | null;
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
  constructor(
    private readonly authority: CertificateAuthority,
    @Inject(SIGNATURE_CREATION_DEVICE) private readonly device: SignatureCreationDevice,
    private readonly tsa: TimestampAuthority,
    private readonly config: SigningConfig,
    @InjectRepository(SignatureRecord) private readonly signatures: Repository<SignatureRecord>,
  ) {}

  /**
   * Signs a PDF as PAdES B-T with the signer's own key and stores the signature record (signer,
   * certificate, chain, revocation state, hashes, timestamp, times, outcome) with the signed PDF.
   * Refuses, with a SigningRefusedError subclass (signing-errors.ts) and nothing signed:
   * EmptyDocumentError, DocumentTooLargeError, NotAPdfError, EncryptedPdfError,
   * NoActiveCertificateError, CertificateNotFoundError, CertificateNotOwnedError,
   * CertificateRevokedError, CertificateExpiredError.
   */
  async signPdf(request: SignPdfRequest, options: SignPdfOptions = {}): Promise<SignedPdf> {
    this.checkSize(request.pdf);
    const document = await loadSignablePdf(request.pdf);
    const now = new Date();
    const certificate = await this.signingCertificate(request, now, options.manager);
    const signer = new x509.X509Certificate(certificate.certificateDer);
    const stamped: { timestamp?: { token: Buffer; genTime: Date } } = {};
    const signedPdf = await signPdfAsPades(
      document,
      {
        visible: request.visible ?? false,
        signerName: commonNameOf(signer),
        unitCode: request.unitCode,
        signingTime: now,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.location ? { location: request.location } : {}),
      },
      async (covered) => {
        const cms = await createCmsSignature({
          signerCertificate: signer,
          certificates: [signer, ...this.authority.caCertificates().slice(0, 1)],
          sign: (data) => this.device.sign(certificate.keyHandle, data),
          contentDigest: sha256(covered),
          timestamp: async (signatureValue) => {
            stamped.timestamp = await this.tsa.timestampDigest(sha256(signatureValue));
            return stamped.timestamp.token;
          },
        });
        return cms.der;
      },
    );
    const record = await this.store(
      {
        format: 'PAdES',
        level: 'PAdES-BASELINE-T',
        document: request.pdf,
        signed: signedPdf,
        mediaType: 'application/pdf',
        certificate,
        signer,
        now,
        timestamp: stamped.timestamp,
      },
      request,
      options.manager,
    );
    return {
      signedPdf,
      signatureId: record.id,
      documentSha256: record.documentSha256,
      signedDocumentSha256: record.signedDocumentSha256,
      certificateId: certificate.id,
      certificateSerial: certificate.serialNumber,
      certificateIssuer: certificate.issuer,
      signedAt: now,
      timestampedAt: stamped.timestamp?.genTime ?? now,
      hashAlgorithm: 'SHA-256',
      signatureAlgorithm: 'ES256',
      format: 'PAdES',
      revocationStatus: 'good',
    };
  }

  /** CAdES B-T detached (ETSI EN 319 122-1) over any file: the `.p7s` to keep beside it. */
  async signDetached(request: SignOtherRequest, options: SignPdfOptions = {}): Promise<SignedOther> {
    this.checkSize(request.document);
    const now = new Date();
    const certificate = await this.signingCertificate(request, now, options.manager);
    const signer = new x509.X509Certificate(certificate.certificateDer);
    const stamped: { timestamp?: { token: Buffer; genTime: Date } } = {};
    const cms = await createCmsSignature({
      signerCertificate: signer,
      certificates: [signer, ...this.authority.caCertificates().slice(0, 1)],
      sign: (data) => this.device.sign(certificate.keyHandle, data),
      contentDigest: sha256(request.document),
      signingTime: now,
      timestamp: async (signatureValue) => {
        stamped.timestamp = await this.tsa.timestampDigest(sha256(signatureValue));
        return stamped.timestamp.token;
      },
    });
    const record = await this.store(
      {
        format: 'CAdES',
        level: 'CAdES-BASELINE-T',
        document: request.document,
        signed: cms.der,
        mediaType: 'application/pkcs7-signature',
        certificate,
        signer,
        now,
        timestamp: stamped.timestamp,
      },
      request,
      options.manager,
    );
    return this.otherResult(record, certificate, cms.der, 'CAdES', now, stamped.timestamp?.genTime ?? null);
  }

  /** JWS (RFC 7515, ES256, x5c) over a JSON document. */
  async signJson(request: SignOtherRequest, options: SignPdfOptions = {}): Promise<SignedOther> {
    this.checkSize(request.document);
    try {
      JSON.parse(request.document.toString('utf8'));
    } catch {
      throw new NotAPdfError('The document is not JSON');
    }
    const now = new Date();
    const certificate = await this.signingCertificate(request, now, options.manager);
    const signer = new x509.X509Certificate(certificate.certificateDer);
    const jws = Buffer.from(
      await createJws(request.document, {
        certificates: [signer, ...this.authority.caCertificates().slice(0, 1)],
        sign: (data) => this.device.sign(certificate.keyHandle, data),
        signingTime: now,
      }),
      'ascii',
    );
    const record = await this.store(
      {
        format: 'JWS',
        level: 'JWS',
        document: request.document,
        signed: jws,
        mediaType: 'application/jose',
        certificate,
        signer,
        now,
        timestamp: undefined,
      },
      request,
      options.manager,
    );
    return this.otherResult(record, certificate, jws, 'JWS', now, null);
  }

  /** The signer's certificate for the unit that is neither revoked nor expired (the newest), or null. */
  async findActiveCertificateFor(signerUserId: string, unitCode: string): Promise<CertificateSummary | null> {
    const found = await this.authority.findActive(signerUserId, unitCode);
    return found ? certificateSummary(found) : null;
  }

  /** Issues a signer certificate from the city's issuing CA (key generated and kept encrypted here). */
  async issueCertificate(request: IssueCertificateRequest): Promise<CertificateSummary> {
    return certificateSummary(await this.authority.issue(request));
  }

  async ensureCertificateFor(request: IssueCertificateRequest): Promise<CertificateSummary> {
    return (
      (await this.findActiveCertificateFor(request.holderId, request.unitCode)) ??
      (await this.issueCertificate(request))
    );
  }

  private checkSize(document: Buffer): void {
    if (document.length === 0) throw new EmptyDocumentError();
    if (document.length > this.config.SIGNING_MAX_DOCUMENT_BYTES)
      throw new DocumentTooLargeError(this.config.SIGNING_MAX_DOCUMENT_BYTES);
  }

  /**
   * The certificate to sign with, checked at signing time against the issuing CA's own register (the
   * source of its CRL): the signer's own, for the document's unit, not revoked, within its validity.
   */
  private async signingCertificate(
    request: { signerUserId: string; unitCode: string; certificateId?: string },
    now: Date,
    manager?: EntityManager,
  ): Promise<SignerCertificate> {
    let certificate: SignerCertificate | null;
    if (request.certificateId) {
      certificate = await this.authority.findById(request.certificateId, manager);
      if (!certificate) throw new CertificateNotFoundError(request.certificateId);
      if (certificate.holderId !== request.signerUserId || certificate.unitCode !== request.unitCode)
        throw new CertificateNotOwnedError();
    } else {
      certificate =
        (await this.authority.findActive(request.signerUserId, request.unitCode, now, manager)) ??
        (await this.authority.findNewest(request.signerUserId, request.unitCode, manager));
      if (!certificate) throw new NoActiveCertificateError(request.unitCode);
    }
    if (certificate.status === 'revoked') throw new CertificateRevokedError(certificate.serialNumber);
    if (certificate.notAfter.getTime() <= now.getTime() || certificate.notBefore.getTime() > now.getTime())
      throw new CertificateExpiredError(certificate.serialNumber);
    return certificate;
  }

  private async store(
    signature: {
      format: StoredSignatureFormat;
      level: string;
      document: Buffer;
      signed: Buffer;
      mediaType: string;
      certificate: SignerCertificate;
      signer: x509.X509Certificate;
      now: Date;
      timestamp: { token: Buffer; genTime: Date } | undefined;
    },
    request: {
      signerUserId: string;
      unitCode: string;
      reference?: SignedThingReference;
      signatureId?: string;
    },
    manager?: EntityManager,
  ): Promise<SignatureRecord> {
    const chain = [signature.signer, ...this.authority.caCertificates()];
    const record = Object.assign(new SignatureRecord(), {
      id: request.signatureId ?? uuidv7(),
      format: signature.format,
      level: signature.level,
      unitCode: request.unitCode,
      signerId: request.signerUserId,
      certificateId: signature.certificate.id,
      certificateSerial: signature.certificate.serialNumber,
      certificateSubject: signature.certificate.subject,
      certificateIssuer: signature.certificate.issuer,
      certificateChainPem: chain.map((certificate) => certificate.toString('pem')).join('\n'),
      revocationStatus: 'good' as const,
      revocationSource: `issuing CA register (CRL ${this.authority.crlUrl()})`,
      revocationCheckedAt: signature.now,
      documentSha256: hex(signature.document),
      hashAlgorithm: 'SHA-256' as const,
      signatureAlgorithm: 'ES256',
      signedDocumentSha256: hex(signature.signed),
      signedDocument: signature.signed,
      signedDocumentMediaType: signature.mediaType,
      timestampToken: signature.timestamp?.token ?? null,
      timestampGenTime: signature.timestamp?.genTime ?? null,
      signedAt: signature.now,
      completedAt: new Date(),
      outcome: 'completed' as const,
      referenceKind: request.reference?.kind ?? null,
      referenceId: request.reference?.id ?? null,
      referenceCode: request.reference?.code ?? null,
    });
    if (manager) await manager.insert(SignatureRecord, record);
    else await this.signatures.insert(record);
    return record;
  }

  private otherResult(
    record: SignatureRecord,
    certificate: SignerCertificate,
    signature: Buffer,
    format: 'CAdES' | 'JWS',
    now: Date,
    timestampedAt: Date | null,
  ): SignedOther {
    return {
      signature,
      signatureId: record.id,
      documentSha256: record.documentSha256,
      signedDocumentSha256: record.signedDocumentSha256,
      certificateId: certificate.id,
      certificateSerial: certificate.serialNumber,
      certificateIssuer: certificate.issuer,
      signedAt: now,
      timestampedAt,
      hashAlgorithm: 'SHA-256',
      signatureAlgorithm: 'ES256',
      format,
      revocationStatus: 'good',
    };
  }
}

function hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function commonNameOf(certificate: x509.X509Certificate): string {
  return certificate.subjectName.getField('CN')[0] ?? certificate.subject;
}
