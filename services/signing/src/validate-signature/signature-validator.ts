import { createHash, createPublicKey, verify } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  ContentInfo,
  id_messageDigest,
  id_signedData,
  SignedData,
  type SignerInfo,
} from '@peculiar/asn1-cms';
import { id_pkcs9_at_signingTime, SigningTime } from '@peculiar/asn1-pkcs9';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { Certificate } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { Repository } from 'typeorm';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { type CityPki } from '../pki/city-pki';
import { CITY_PKI } from '../pki/city-pki.provider';
import { x509 } from '../pki/crypto-provider';
import { TrustStore } from '../pki/trust-store';
import {
  ID_AA_SIGNATURE_TIMESTAMP_TOKEN,
  ID_CT_TST_INFO,
  sha256,
} from '../signature-formats/cms-signed-data';
import {
  AttributeSet,
  ID_AA_SIGNING_CERTIFICATE_V2,
  SigningCertificateV2,
} from '../signature-formats/ess-signing-certificate';
import {
  type CertificateView,
  type CheckResult,
  decideIndication,
  overallIndication,
  type SignatureValidation,
  type ValidationReport,
} from './validation-report';

const DIGESTS = new Map<string, string>([
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);
/** Revocation reasons that make every signature with the key doubtful, whenever it was made. */
const UNSAFE_REASONS = new Set(['keyCompromise', 'cACompromise', 'aACompromise', 'unspecified']);
/** At most this many signatures are looked at in one PDF (the rest is reported as a warning). */
const MAX_SIGNATURES = 10;
const POLICY =
  'backbone-city-trust-v1: trust anchors SIGNING_TRUSTED_ROOT_FILES + city root; SHA-256/384/512; revocation from the city CA register';

interface ParsedCms {
  signedData: SignedData;
  signerInfo: SignerInfo;
  certificates: x509.X509Certificate[];
}

/**
 * Validates PAdES and CAdES signatures into ETSI EN 319 102-1 shaped reports: the CMS is parsed with
 * @peculiar/asn1-cms, the PDF's signature dictionaries with pdf-lib; hashes and signature values are
 * checked with node:crypto; the chain must end at a configured trust anchor; revocation comes from
 * the city CA's register (certificates of other CAs: unknown, hence INDETERMINATE/TRY_LATER).
 */
type IndicationFacts = Parameters<typeof decideIndication>[1];

@Injectable()
export class SignatureValidator {
  /** What a signature's indication is decided from besides its checks (not part of the report). */
  private readonly factsOf = new WeakMap<SignatureValidation, IndicationFacts>();

  constructor(
    private readonly trust: TrustStore,
    @Inject(CITY_PKI) private readonly pki: CityPki,
    @InjectRepository(SignerCertificate) private readonly certificates: Repository<SignerCertificate>,
  ) {}

  async validatePdf(pdf: Buffer, now = new Date()): Promise<ValidationReport> {
    const signatures: SignatureValidation[] = [];
    const warnings: string[] = [];
    let document: PDFDocument | undefined;
    try {
      document = await PDFDocument.load(pdf, {
        ignoreEncryption: true,
        updateMetadata: false,
        throwOnInvalidObject: false,
      });
    } catch {
      document = undefined;
    }
    const dictionaries = document ? signatureDictionaries(document) : [];
    if (dictionaries.length > MAX_SIGNATURES)
      warnings.push(`Only the first ${MAX_SIGNATURES} signatures were validated`);
    for (const [index, dictionary] of dictionaries.slice(0, MAX_SIGNATURES).entries()) {
      signatures.push(await this.validatePdfSignature(`S${index + 1}`, pdf, dictionary, now));
    }
    return this.report(pdf, signatures, now);
  }

  async validateDetached(documentBytes: Buffer, cmsDer: Buffer, now = new Date()): Promise<ValidationReport> {
    const signature = await this.validateCms(
      'S1',
      cmsDer,
      { contentDigest: (algorithm) => digest(algorithm, documentBytes), pades: false },
      now,
    );
    return this.report(documentBytes, [signature], now);
  }

  private report(documentBytes: Buffer, signatures: SignatureValidation[], now: Date): ValidationReport {
    return {
      policy: POLICY,
      validationTime: now.toISOString(),
      documentSha256: sha256(documentBytes).toString('hex'),
      ...overallIndication(signatures),
      signatures,
    };
  }

  private async validatePdfSignature(
    id: string,
    pdf: Buffer,
    dictionary: PdfSignatureDictionary,
    now: Date,
  ): Promise<SignatureValidation> {
    const coverage: CheckResult = { passed: true, details: [] };
    const [start, firstLength, secondStart, secondLength] = dictionary.byteRange;
    const rangesSane =
      dictionary.byteRange.length === 4 &&
      start === 0 &&
      firstLength > 0 &&
      secondStart > firstLength &&
      secondStart + secondLength <= pdf.length;
    if (!rangesSane) return this.unreadable(id, now, 'The /ByteRange is malformed or outside the file');
    if (secondStart + secondLength !== pdf.length) {
      coverage.passed = false;
      coverage.details.push(
        `The signature covers ${secondStart + secondLength} of ${pdf.length} bytes: content was added after signing`,
      );
    } else coverage.details.push('The signature covers the whole document except its own /Contents');
    const covered = Buffer.concat([
      pdf.subarray(0, firstLength),
      pdf.subarray(secondStart, secondStart + secondLength),
    ]);
    const validation = await this.validateCms(
      id,
      dictionary.contents,
      {
        contentDigest: (algorithm) => digest(algorithm, covered),
        pades: true,
        subFilter: dictionary.subFilter,
      },
      now,
    );
    if (dictionary.signingTime) validation.claimedSigningTime = dictionary.signingTime.toISOString();
    validation.checks.documentCoverage = coverage;
    Object.assign(validation, decideIndication(validation.checks, this.facts(validation)));
    return validation;
  }

  private async validateCms(
    id: string,
    cmsDer: Buffer,
    context: { contentDigest: (algorithm: string) => Buffer; pades: boolean; subFilter?: string },
    now: Date,
  ): Promise<SignatureValidation> {
    let parsed: ParsedCms;
    try {
      parsed = parseCms(cmsDer);
    } catch (error) {
      return this.unreadable(id, now, `The CMS cannot be parsed: ${(error as Error).message}`);
    }
    const { signerInfo } = parsed;
    const validation = emptyValidation(id, now);
    const { checks, warnings } = validation;

    // Format.
    const signedAttributes = signerInfo.signedAttrs ?? [];
    const attributeValue = (type: string) =>
      signedAttributes.find((attribute) => attribute.attrType === type)?.attrValues[0];
    const unsigned = signerInfo.unsignedAttrs ?? [];
    const timestampToken = unsigned.find(
      (attribute) => attribute.attrType === ID_AA_SIGNATURE_TIMESTAMP_TOKEN,
    )?.attrValues[0];
    const hasEss = attributeValue(ID_AA_SIGNING_CERTIFICATE_V2) !== undefined;
    const digestName = DIGESTS.get(signerInfo.digestAlgorithm.algorithm);
    checks.format.passed = signedAttributes.length > 0 && hasEss && digestName !== undefined;
    if (signedAttributes.length === 0)
      checks.format.details.push('No signed attributes (CAdES requires them)');
    if (!hasEss) checks.format.details.push('No ESS signing-certificate-v2 attribute');
    if (!digestName)
      checks.format.details.push(`Digest algorithm ${signerInfo.digestAlgorithm.algorithm} is not accepted`);
    if (context.pades) {
      if (context.subFilter !== 'ETSI.CAdES.detached') {
        checks.format.passed = false;
        checks.format.details.push(`SubFilter ${context.subFilter ?? '(none)'} is not ETSI.CAdES.detached`);
      }
      if (attributeValue(id_pkcs9_at_signingTime) !== undefined)
        warnings.push('A signing-time attribute is present (EN 319 142-1 keeps the claimed time in /M)');
    } else {
      const signingTime = attributeValue(id_pkcs9_at_signingTime);
      if (signingTime)
        validation.claimedSigningTime = AsnConvert.parse(signingTime, SigningTime).getTime().toISOString();
    }
    validation.format = `${context.pades ? 'PAdES' : 'CAdES'}-BASELINE-${timestampToken ? 'T' : 'B'}`;
    if (checks.format.passed) checks.format.details.push(`${validation.format}, digest ${digestName}`);

    // Identification of the signing certificate (sid, and the ESS certificate hash that binds it).
    const signer = findSigner(parsed);
    if (signer) {
      validation.signingCertificate = view(signer);
      const ess = attributeValue(ID_AA_SIGNING_CERTIFICATE_V2);
      const essOk = ess ? essMatches(ess, signer) : false;
      checks.signingCertificateIdentification.passed = essOk || !hasEss;
      checks.signingCertificateIdentification.details.push(
        essOk
          ? 'The signer certificate matches the ESS signing-certificate-v2 hash'
          : 'The ESS signing-certificate-v2 hash does not match the signer certificate',
      );
    } else
      checks.signingCertificateIdentification.details.push('The signer certificate is not in the signature');

    // Integrity: the message digest, then the signature value over the signed attributes.
    let hashMismatch = false;
    if (signer && digestName) {
      const messageDigest = attributeValue(id_messageDigest);
      const expected = context.contentDigest(digestName);
      const claimed = messageDigest
        ? Buffer.from(AsnConvert.parse(messageDigest, OctetString).buffer)
        : undefined;
      if (!claimed || !claimed.equals(expected)) {
        hashMismatch = true;
        checks.integrity.details.push(
          'The document digest differs from the signed message-digest: the document was changed',
        );
      } else if (!verifySignerInfo(signerInfo, signer, digestName)) {
        checks.integrity.details.push('The signature value does not verify with the signer certificate');
      } else {
        checks.integrity.passed = true;
        checks.integrity.details.push('Message digest and signature value verify');
      }
    }

    // Timestamp: a valid RFC 3161 token over the signature value gives the best signature time.
    let bestSignatureTime = now;
    if (timestampToken) {
      checks.timestamp.present = true;
      const result = await this.validateTimestamp(
        Buffer.from(timestampToken),
        Buffer.from(signerInfo.signature.buffer),
        now,
      );
      Object.assign(checks.timestamp, result.check);
      if (result.genTime && checks.timestamp.passed) bestSignatureTime = result.genTime;
    } else checks.timestamp.details.push('No signature timestamp (level B)');
    validation.bestSignatureTime = bestSignatureTime.toISOString();

    // Chain to a trust anchor, each certificate valid at the best signature time.
    let notYetValid = false;
    let expiredWithoutPoe = false;
    if (signer) {
      const chain = await this.buildChain(signer, parsed.certificates);
      checks.chain.certificates = chain.certificates.map(view);
      if (!chain.anchor) checks.chain.details.push('No chain to a trusted root');
      else {
        checks.chain.trustAnchor = chain.anchor.subject;
        const outside = chain.certificates.filter(
          (certificate) =>
            certificate.notBefore > bestSignatureTime || certificate.notAfter < bestSignatureTime,
        );
        notYetValid = signer.notBefore > bestSignatureTime;
        expiredWithoutPoe = outside.length > 0 && !notYetValid;
        const usageOk = signerUsageOk(signer);
        checks.chain.passed = outside.length === 0 && usageOk;
        checks.chain.details.push(
          outside.length === 0
            ? `Chain to ${chain.anchor.subject}, valid at ${bestSignatureTime.toISOString()}`
            : `Certificates outside their validity at the best signature time: ${outside.map((c) => c.subject).join('; ')}`,
        );
        if (!usageOk)
          checks.chain.details.push(
            'The signer certificate does not allow digitalSignature or nonRepudiation',
          );
      }
    }

    // Revocation at signing time, from the city CA's register.
    let revokedBeforeOrUnsafe = false;
    if (signer) {
      const revocation = await this.revocationOf(signer);
      Object.assign(checks.revocation, revocation);
      if (revocation.status === 'revoked' && revocation.revokedAt) {
        const revokedAt = new Date(revocation.revokedAt);
        revokedBeforeOrUnsafe =
          revokedAt <= bestSignatureTime || UNSAFE_REASONS.has(revocation.reason ?? 'unspecified');
        if (!revokedBeforeOrUnsafe)
          warnings.push(`The certificate was revoked (${revocation.reason}) after the signature's timestamp`);
      }
      checks.revocation.passed =
        revocation.status === 'good' || (revocation.status === 'revoked' && !revokedBeforeOrUnsafe);
    }

    Object.assign(
      validation,
      decideIndication(checks, { hashMismatch, revokedBeforeOrUnsafe, notYetValid, expiredWithoutPoe }),
    );
    this.factsOf.set(validation, { hashMismatch, revokedBeforeOrUnsafe, notYetValid, expiredWithoutPoe });
    return validation;
  }

  private facts(validation: SignatureValidation): IndicationFacts {
    return (
      this.factsOf.get(validation) ?? {
        hashMismatch: false,
        revokedBeforeOrUnsafe: false,
        notYetValid: false,
        expiredWithoutPoe: false,
      }
    );
  }

  private async validateTimestamp(
    token: Buffer,
    signatureValue: Buffer,
    now: Date,
  ): Promise<{
    check: { passed: boolean; details: string[]; genTime?: string; authority?: string };
    genTime?: Date;
  }> {
    const details: string[] = [];
    try {
      const parsed = parseCms(token);
      if (parsed.signedData.encapContentInfo.eContentType !== ID_CT_TST_INFO)
        throw new Error('not a TSTInfo');
      const content = parsed.signedData.encapContentInfo.eContent?.single;
      if (!content) throw new Error('no TSTInfo content');
      const tstBytes = Buffer.from(content.buffer);
      const tstInfo = AsnConvert.parse(tstBytes, TSTInfo);
      const genTime = tstInfo.genTime;
      const imprintDigest = DIGESTS.get(tstInfo.messageImprint.hashAlgorithm.algorithm);
      if (!imprintDigest) throw new Error('the message imprint uses an unaccepted hash');
      const imprintOk = Buffer.from(tstInfo.messageImprint.hashedMessage.buffer).equals(
        digest(imprintDigest, signatureValue),
      );
      const tsa =
        findSigner(parsed) ?? (matchesSid(parsed.signerInfo, this.pki.tsa) ? this.pki.tsa : undefined);
      if (!tsa) throw new Error('the TSA certificate is not available');
      const tokenDigestName = DIGESTS.get(parsed.signerInfo.digestAlgorithm.algorithm) ?? 'sha256';
      const messageDigest = parsed.signerInfo.signedAttrs?.find(
        (attribute) => attribute.attrType === id_messageDigest,
      )?.attrValues[0];
      const contentOk =
        messageDigest !== undefined &&
        Buffer.from(AsnConvert.parse(messageDigest, OctetString).buffer).equals(
          digest(tokenDigestName, tstBytes),
        );
      const signatureOk = contentOk && verifySignerInfo(parsed.signerInfo, tsa, tokenDigestName);
      const eku = tsa.getExtension(x509.ExtendedKeyUsageExtension);
      const ekuOk =
        !!eku &&
        eku.critical &&
        eku.usages.length === 1 &&
        eku.usages[0] === x509.ExtendedKeyUsage.timeStamping;
      const chain = await this.buildChain(tsa, parsed.certificates);
      const chainOk =
        !!chain.anchor && chain.certificates.every((c) => c.notBefore <= genTime && c.notAfter >= genTime);
      if (!imprintOk) details.push('The timestamp is not over this signature value');
      if (!signatureOk) details.push("The timestamp token's signature does not verify");
      if (!ekuOk) details.push('The TSA certificate lacks a critical timeStamping extended key usage');
      if (!chainOk) details.push('The TSA certificate does not chain to a trusted root at genTime');
      if (genTime > now) details.push('genTime is in the future');
      const passed = imprintOk && signatureOk && ekuOk && chainOk && genTime <= now;
      if (passed) details.push(`RFC 3161 timestamp by ${tsa.subject} at ${genTime.toISOString()}`);
      return { check: { passed, details, genTime: genTime.toISOString(), authority: tsa.subject }, genTime };
    } catch (error) {
      details.push(`The timestamp token cannot be used: ${(error as Error).message}`);
      return { check: { passed: false, details } };
    }
  }

  /** Up the issuers (from the signature's certificates and the trust store) to a trust anchor. */
  private async buildChain(
    leaf: x509.X509Certificate,
    embedded: x509.X509Certificate[],
  ): Promise<{ certificates: x509.X509Certificate[]; anchor?: x509.X509Certificate }> {
    const pool = [...embedded, ...this.trust.intermediates, ...this.trust.roots];
    const chain = [leaf];
    let current = leaf;
    for (let depth = 0; depth < 6; depth += 1) {
      const anchor = this.trust.roots.find((root) => sameCertificate(root, current));
      if (anchor) return { certificates: chain, anchor };
      let issuer: x509.X509Certificate | undefined;
      for (const candidate of pool) {
        if (candidate.subject !== current.issuer || sameCertificate(candidate, current)) continue;
        if (!isCa(candidate)) continue;
        if (await current.verify({ publicKey: candidate, signatureOnly: true })) {
          issuer = candidate;
          break;
        }
      }
      if (!issuer) return { certificates: chain };
      chain.push(issuer);
      current = issuer;
    }
    return { certificates: chain };
  }

  private async revocationOf(certificate: x509.X509Certificate): Promise<{
    status: 'good' | 'revoked' | 'unknown';
    revokedAt?: string;
    reason?: string;
    source: string;
    details: string[];
  }> {
    if (certificate.issuer !== this.pki.issuing.subject)
      return {
        status: 'unknown',
        source: 'none',
        details: ['No revocation source for certificates of other CAs'],
      };
    const record = await this.certificates.findOneBy({
      serialNumber: certificate.serialNumber.toLowerCase(),
    });
    if (!record)
      return {
        status: 'unknown',
        source: 'city CA register',
        details: ['The city CA has no record of this serial'],
      };
    if (record.status === 'revoked' && record.revokedAt)
      return {
        status: 'revoked',
        revokedAt: record.revokedAt.toISOString(),
        reason: record.revocationReason ?? 'unspecified',
        source: 'city CA register (as its CRL)',
        details: [
          `Revoked at ${record.revokedAt.toISOString()} (${record.revocationReason ?? 'unspecified'})`,
        ],
      };
    return { status: 'good', source: 'city CA register (as its CRL)', details: ['Not revoked'] };
  }

  private unreadable(id: string, now: Date, reason: string): SignatureValidation {
    const validation = emptyValidation(id, now);
    validation.checks.format.details.push(reason);
    return { ...validation, indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' };
  }
}

interface PdfSignatureDictionary {
  byteRange: number[];
  contents: Buffer;
  subFilter?: string;
  signingTime?: Date;
}

/** Every signature dictionary (/ByteRange and /Contents) of the document, in object order. */
function signatureDictionaries(document: PDFDocument): PdfSignatureDictionary[] {
  const found: PdfSignatureDictionary[] = [];
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    const byteRange = object.lookup(PDFName.of('ByteRange'));
    if (!(byteRange instanceof PDFArray)) continue;
    // A page's /Contents is a stream or an array: only a signature's is a string.
    const contents = object.lookup(PDFName.of('Contents'));
    if (!(contents instanceof PDFHexString) && !(contents instanceof PDFString)) continue;
    const numbers = byteRange.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : -1));
    const subFilterName = object.lookup(PDFName.of('SubFilter'));
    const subFilter =
      subFilterName instanceof PDFName ? subFilterName.asString().replace(/^\//, '') : undefined;
    const claimed = object.lookup(PDFName.of('M'));
    const signingTime =
      claimed instanceof PDFString || claimed instanceof PDFHexString ? safeDate(claimed) : undefined;
    found.push({
      byteRange: numbers,
      contents: trimDer(Buffer.from(contents.asBytes())),
      ...(subFilter ? { subFilter } : {}),
      ...(signingTime ? { signingTime } : {}),
    });
    if (found.length > MAX_SIGNATURES) break;
  }
  return found;
}

function safeDate(value: PDFString | PDFHexString | undefined): Date | undefined {
  try {
    return value?.decodeDate();
  } catch {
    return undefined;
  }
}

/** /Contents is zero-padded: the CMS is the first DER element. */
function trimDer(bytes: Buffer): Buffer {
  const parsed = asn1js.fromBER(new Uint8Array(bytes));
  return parsed.offset > 0 ? bytes.subarray(0, parsed.offset) : bytes;
}

function parseCms(der: Buffer): ParsedCms {
  const contentInfo = AsnConvert.parse(der, ContentInfo);
  if (contentInfo.contentType !== id_signedData) throw new Error('not a SignedData');
  const signedData = AsnConvert.parse(contentInfo.content, SignedData);
  const [signerInfo] = signedData.signerInfos;
  if (!signerInfo || signedData.signerInfos.length !== 1)
    throw new Error('exactly one SignerInfo is expected');
  const certificates = (signedData.certificates ?? [])
    .filter((choice) => choice.certificate)
    .map((choice) => new x509.X509Certificate(AsnConvert.serialize(choice.certificate)));
  return { signedData, signerInfo, certificates };
}

function findSigner(parsed: ParsedCms): x509.X509Certificate | undefined {
  return parsed.certificates.find((certificate) => matchesSid(parsed.signerInfo, certificate));
}

function matchesSid(signerInfo: SignerInfo, certificate: x509.X509Certificate): boolean {
  const sid = signerInfo.sid.issuerAndSerialNumber;
  if (!sid) return false;
  const parsed = AsnConvert.parse(certificate.rawData, Certificate);
  return (
    Buffer.from(sid.serialNumber).equals(Buffer.from(parsed.tbsCertificate.serialNumber)) &&
    Buffer.from(AsnConvert.serialize(sid.issuer)).equals(
      Buffer.from(AsnConvert.serialize(parsed.tbsCertificate.issuer)),
    )
  );
}

function essMatches(value: ArrayBuffer, certificate: x509.X509Certificate): boolean {
  const ess = AsnConvert.parse(value, SigningCertificateV2);
  const first = ess.certs[0];
  if (!first) return false;
  const algorithm = first.hashAlgorithm ? DIGESTS.get(first.hashAlgorithm.algorithm) : 'sha256';
  if (!algorithm) return false;
  return Buffer.from(first.certHash.buffer).equals(digest(algorithm, Buffer.from(certificate.rawData)));
}

/** The signature over the DER SET OF the signed attributes, as they were encoded in the signature. */
function verifySignerInfo(
  signerInfo: SignerInfo,
  certificate: x509.X509Certificate,
  digestName: string,
): boolean {
  let signed: Buffer;
  if (signerInfo.signedAttrsRaw) {
    signed = Buffer.from(signerInfo.signedAttrsRaw);
    signed[0] = 0x31; // [0] IMPLICIT in the SignerInfo; a SET when signed (RFC 5652 §5.4)
  } else signed = Buffer.from(AsnConvert.serialize(new AttributeSet(signerInfo.signedAttrs ?? [])));
  try {
    const key = createPublicKey({
      key: Buffer.from(certificate.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    return verify(digestName, signed, key, Buffer.from(signerInfo.signature.buffer));
  } catch {
    return false;
  }
}

function digest(algorithm: string, data: Buffer): Buffer {
  return createHash(algorithm).update(data).digest();
}

function sameCertificate(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  return Buffer.from(a.rawData).equals(Buffer.from(b.rawData));
}

function isCa(certificate: x509.X509Certificate): boolean {
  return certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function signerUsageOk(certificate: x509.X509Certificate): boolean {
  const usage = certificate.getExtension(x509.KeyUsagesExtension);
  if (!usage) return true;
  return (usage.usages & (x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation)) !== 0;
}

function view(certificate: x509.X509Certificate): CertificateView {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
  };
}

function emptyValidation(id: string, now: Date): SignatureValidation {
  const check = (): CheckResult => ({ passed: false, details: [] });
  return {
    id,
    format: 'unknown',
    indication: 'INDETERMINATE',
    signingCertificate: null,
    bestSignatureTime: now.toISOString(),
    checks: {
      format: check(),
      signingCertificateIdentification: check(),
      integrity: check(),
      chain: { ...check(), certificates: [] },
      revocation: { ...check(), status: 'unknown', source: 'none' },
      timestamp: { ...check(), present: false },
    },
    warnings: [],
  };
}
