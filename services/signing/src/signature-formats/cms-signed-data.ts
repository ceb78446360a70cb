import { createHash } from 'node:crypto';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  id_data,
  id_messageDigest,
  id_signedData,
  IssuerAndSerialNumber,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from '@peculiar/asn1-cms';
import {
  ContentType,
  id_pkcs9_at_contentType,
  id_pkcs9_at_signingTime,
  SigningTime,
} from '@peculiar/asn1-pkcs9';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate, GeneralName, GeneralNames } from '@peculiar/asn1-x509';
import type { x509 } from '../pki/crypto-provider';
import {
  AttributeSet,
  EssCertIdV2,
  ID_AA_SIGNING_CERTIFICATE_V2,
  IssuerSerial,
  SigningCertificateV2,
} from './ess-signing-certificate';

export const ID_SHA256 = '2.16.840.1.101.3.4.2.1';
export const ID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const ID_CT_TST_INFO = '1.2.840.113549.1.9.16.1.4';
export const ID_AA_SIGNATURE_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

/** Signs the DER of the signed attributes (ECDSA with SHA-256, DER signature). */
export type SignBytes = (data: Buffer) => Promise<Buffer>;

export interface CmsSignatureInput {
  /** The signer's certificate (its issuer and serial identify the signer; its hash goes into ESS). */
  signerCertificate: x509.X509Certificate;
  /** Certificates to embed: the signer's first, then its CAs (so that verifiers can build the chain). */
  certificates: readonly x509.X509Certificate[];
  sign: SignBytes;
  /** SHA-256 of the content (detached: of the document; encapsulated: of eContent). */
  contentDigest: Buffer;
  /** Encapsulated content (e.g. a TSTInfo); absent: a detached signature over id-data. */
  encapsulated?: { contentType: string; content: Buffer };
  /** Put a signing-time attribute in (CAdES, timestamp tokens); PAdES leaves it out (EN 319 142-1 §5.4). */
  signingTime?: Date;
  /**
   * Asks the timestamp authority for a token over the signature value (RFC 3161 over SHA-256 of it)
   * and adds it as the unsigned signature-time-stamp attribute (the -T level).
   */
  timestamp?: (signatureValue: Buffer) => Promise<Buffer>;
}

export interface CmsSignatureOutput {
  /** ContentInfo(SignedData), DER. */
  der: Buffer;
  signatureValue: Buffer;
  timestampToken?: Buffer;
}

/**
 * CMS SignedData in the CAdES baseline form (ETSI EN 319 122-1): signed attributes content-type,
 * message-digest, ESS signing-certificate-v2 (and signing-time when asked), ECDSA-SHA256, the
 * certificates, and optionally the signature timestamp. Encoding by @peculiar/asn1-schema.
 */
export async function createCmsSignature(input: CmsSignatureInput): Promise<CmsSignatureOutput> {
  const signer = AsnConvert.parse(input.signerCertificate.rawData, Certificate);
  const contentType = input.encapsulated?.contentType ?? id_data;
  const attributes = [
    attribute(id_pkcs9_at_contentType, AsnConvert.serialize(new ContentType(contentType))),
    ...(input.signingTime
      ? [attribute(id_pkcs9_at_signingTime, AsnConvert.serialize(new SigningTime(input.signingTime)))]
      : []),
    attribute(id_messageDigest, AsnConvert.serialize(new OctetString(input.contentDigest))),
    attribute(
      ID_AA_SIGNING_CERTIFICATE_V2,
      AsnConvert.serialize(signingCertificateV2(input.signerCertificate, signer)),
    ),
  ];
  // DER: a SET OF is ordered by its members' encodings.
  const signedAttrs = attributes
    .map((item) => ({ item, der: Buffer.from(AsnConvert.serialize(item)) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ item }) => item);
  const toBeSigned = Buffer.from(AsnConvert.serialize(new AttributeSet(signedAttrs)));
  const signatureValue = await input.sign(toBeSigned);

  const signerInfo = new SignerInfo({
    version: 1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: signer.tbsCertificate.issuer,
        serialNumber: signer.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: new DigestAlgorithmIdentifier({ algorithm: ID_SHA256 }),
    signedAttrs,
    signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: ID_ECDSA_WITH_SHA256 }),
    signature: new OctetString(signatureValue),
  });
  let timestampToken: Buffer | undefined;
  if (input.timestamp) {
    timestampToken = await input.timestamp(signatureValue);
    signerInfo.unsignedAttrs = [attribute(ID_AA_SIGNATURE_TIMESTAMP_TOKEN, timestampToken)];
  }

  const signedData = new SignedData({
    // RFC 5652 §5.1: version 3 when the content is other than id-data.
    version: contentType === id_data ? 1 : 3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([
      new DigestAlgorithmIdentifier({ algorithm: ID_SHA256 }),
    ]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: contentType,
      ...(input.encapsulated
        ? { eContent: new EncapsulatedContent({ single: new OctetString(input.encapsulated.content) }) }
        : {}),
    }),
    ...(input.certificates.length > 0
      ? {
          certificates: new CertificateSet(
            input.certificates.map(
              (certificate) =>
                new CertificateChoices({ certificate: AsnConvert.parse(certificate.rawData, Certificate) }),
            ),
          ),
        }
      : {}),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const der = Buffer.from(
    AsnConvert.serialize(
      new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }),
    ),
  );
  return { der, signatureValue, ...(timestampToken ? { timestampToken } : {}) };
}

function attribute(type: string, value: ArrayBuffer | Buffer): Attribute {
  return new Attribute({ attrType: type, attrValues: [toArrayBuffer(value)] });
}

function signingCertificateV2(certificate: x509.X509Certificate, parsed: Certificate): SigningCertificateV2 {
  return new SigningCertificateV2({
    certs: [
      new EssCertIdV2({
        certHash: new OctetString(sha256(Buffer.from(certificate.rawData))),
        issuerSerial: new IssuerSerial({
          issuer: new GeneralNames([new GeneralName({ directoryName: parsed.tbsCertificate.issuer })]),
          serialNumber: parsed.tbsCertificate.serialNumber,
        }),
      }),
    ],
  });
}

export function sha256(data: Buffer | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function toArrayBuffer(data: ArrayBuffer | Buffer | Uint8Array): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
