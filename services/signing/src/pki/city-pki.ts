import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EC_P256, ECDSA_WITH_SHA256, type WebCryptoKey, x509 } from './crypto-provider';

/**
 * The city's PKI on disk: a self-signed root CA, an issuing CA under it (signs signer certificates and
 * the CRL) and the timestamp authority's certificate (issued by the issuing CA, extendedKeyUsage
 * timeStamping, critical). ECDSA P-256 throughout (docs/adr/0011).
 *
 * The service reads only the issuing CA's and the TSA's keys; the root key is needed once, to create
 * the issuing CA and TSA certificates, and belongs offline afterwards (the README says how).
 */
export const PKI_FILES = {
  rootCertificate: 'root-ca.crt.pem',
  rootKey: 'root-ca.key.pem',
  issuingCertificate: 'issuing-ca.crt.pem',
  issuingKey: 'issuing-ca.key.pem',
  tsaCertificate: 'tsa.crt.pem',
  tsaKey: 'tsa.key.pem',
} as const;

const CITY = 'UBND Thanh pho Ha Noi';
export const ROOT_SUBJECT = `CN=Hanoi City Root CA, O=${CITY}, C=VN`;
export const ISSUING_SUBJECT = `CN=Hanoi City Issuing CA 1, O=${CITY}, C=VN`;
export const TSA_SUBJECT = `CN=Hanoi City Time-Stamping Authority, O=${CITY}, C=VN`;

const DAY_MS = 86_400_000;

export interface CityPki {
  root: x509.X509Certificate;
  issuing: x509.X509Certificate;
  /** The issuing CA's key, as WebCrypto wants it for certificates and CRLs. */
  issuingKey: WebCryptoKey;
  tsa: x509.X509Certificate;
  /** The TSA's key, for node:crypto's sign. */
  tsaKey: KeyObject;
}

export interface CreatePkiOptions {
  /** When the certificates start to be valid (default now). */
  now?: Date;
  /** The CRL distribution point put in the issuing CA's certificates (the signing service's /pki/crl). */
  crlUrl?: string;
}

/** True when the folder holds a complete PKI (certificates and the keys the service needs). */
export async function pkiExists(dir: string): Promise<boolean> {
  const needed = [
    PKI_FILES.rootCertificate,
    PKI_FILES.issuingCertificate,
    PKI_FILES.issuingKey,
    PKI_FILES.tsaCertificate,
    PKI_FILES.tsaKey,
  ];
  for (const file of needed) {
    try {
      await stat(join(dir, file));
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Creates the root CA, the issuing CA and the TSA certificate with fresh keys and writes them to
 * `dir` (keys mode 0600, the folder 0700). Refuses to overwrite an existing PKI.
 */
export async function createCityPki(dir: string, options: CreatePkiOptions = {}): Promise<void> {
  if (await pkiExists(dir)) throw new Error(`A PKI already exists in ${dir}; refusing to overwrite it`);
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 60_000);
  const subtle = webcrypto.subtle;
  const generate = () => subtle.generateKey(EC_P256, true, ['sign', 'verify']);

  const rootKeys = await generate();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: ROOT_SUBJECT,
    notBefore,
    notAfter: new Date(now.getTime() + 20 * 365 * DAY_MS),
    keys: rootKeys,
    signingAlgorithm: ECDSA_WITH_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });

  const issuingKeys = await generate();
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: ISSUING_SUBJECT,
    issuer: root.subject,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: ECDSA_WITH_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root, false),
    ],
  });

  const tsaKeys = await generate();
  const tsa = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: TSA_SUBJECT,
    issuer: issuing.subject,
    notBefore,
    notAfter: new Date(now.getTime() + 9 * 365 * DAY_MS),
    publicKey: tsaKeys.publicKey,
    signingKey: issuingKeys.privateKey,
    signingAlgorithm: ECDSA_WITH_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      // RFC 3161 §2.3: the TSA's certificate has exactly this extended key usage, critical.
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true),
      await x509.SubjectKeyIdentifierExtension.create(tsaKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuing, false),
      ...(options.crlUrl ? [new x509.CRLDistributionPointsExtension([options.crlUrl])] : []),
    ],
  });

  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const writeKey = async (file: string, key: WebCryptoKey) => {
    const pkcs8 = await subtle.exportKey('pkcs8', key);
    await writeFile(join(dir, file), x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), {
      mode: 0o600,
      flag: 'wx',
    });
  };
  await writeFile(join(dir, PKI_FILES.rootCertificate), root.toString('pem') + '\n');
  await writeFile(join(dir, PKI_FILES.issuingCertificate), issuing.toString('pem') + '\n');
  await writeFile(join(dir, PKI_FILES.tsaCertificate), tsa.toString('pem') + '\n');
  await writeKey(PKI_FILES.rootKey, rootKeys.privateKey);
  await writeKey(PKI_FILES.issuingKey, issuingKeys.privateKey);
  await writeKey(PKI_FILES.tsaKey, tsaKeys.privateKey);
}

/** Reads the PKI the service runs with (never the root key). */
export async function loadCityPki(dir: string): Promise<CityPki> {
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const issuingKeyPem = await read(PKI_FILES.issuingKey);
  const issuingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(issuingKeyPem),
    EC_P256,
    false,
    ['sign'],
  );
  return {
    root: new x509.X509Certificate(await read(PKI_FILES.rootCertificate)),
    issuing: new x509.X509Certificate(await read(PKI_FILES.issuingCertificate)),
    issuingKey,
    tsa: new x509.X509Certificate(await read(PKI_FILES.tsaCertificate)),
    tsaKey: createPrivateKey(await read(PKI_FILES.tsaKey)),
  };
}

/** A positive 128-bit serial (RFC 5280: at most 20 octets, unpredictable), as hex. */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and no leading zero octet to strip
  return Buffer.from(bytes).toString('hex');
}
