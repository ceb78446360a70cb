import { generateKeyPairSync, sign } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { SignerCertificate } from '../certificates/signer-certificate.entity';
import type { SigningConfig } from '../config';
import { type CityPki, generateCityPki, randomSerial } from '../pki/city-pki';
import { ECDSA_WITH_SHA256, x509 } from '../pki/crypto-provider';
import { TrustStore } from '../pki/trust-store';
import { createCmsSignature, sha256 } from '../signature-formats/cms-signed-data';
import { TimestampAuthority } from '../timestamp-authority/timestamp-authority';
import { SignatureValidator } from './signature-validator';

/** A signer certificate from a PKI's issuing CA and a detached CAdES B-T signature of `document` with it. */
async function signedBy(pki: CityPki, document: Buffer) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=Signer, OU=00070, O=Test, C=VN',
    issuer: pki.issuing.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    publicKey: new x509.PublicKey(spki),
    signingKey: pki.issuingKey,
    signingAlgorithm: ECDSA_WITH_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
    ],
  });
  const tsa = new TimestampAuthority(pki, {
    SIGNING_TSA_POLICY_OID: '1.3.6.1.4.1.59999.3102.1',
  } as SigningConfig);
  const cms = await createCmsSignature({
    signerCertificate: certificate,
    certificates: [certificate, pki.issuing],
    sign: (data) => Promise.resolve(sign('sha256', data, privateKey)),
    contentDigest: sha256(document),
    signingTime: new Date(),
    timestamp: async (value) => (await tsa.timestampDigest(sha256(value))).token,
  });
  return { certificate, cms: cms.der };
}

/** The city CA's register, as the validator reads it. */
function register(record: Partial<SignerCertificate> | null) {
  return { findOneBy: () => Promise.resolve(record) } as unknown as Repository<SignerCertificate>;
}

describe('SignatureValidator: trust anchors and revocation (in memory, no database)', () => {
  const document = Buffer.from('quyết định số 123/QĐ-UBND\n');
  let city: CityPki;
  let national: CityPki;

  beforeAll(async () => {
    city = await generateCityPki();
    // Another hierarchy (same names, other keys): a national CA, or an impostor when not configured.
    national = await generateCityPki();
  });

  it('passes a city signature whose certificate is in good standing', async () => {
    const { cms } = await signedBy(city, document);
    const validator = new SignatureValidator(
      new TrustStore([city.root], [city.issuing]),
      city,
      register({ status: 'active' }),
    );
    const report = await validator.validateDetached(document, cms);
    expect(report).toMatchObject({ indication: 'TOTAL-PASSED' });
    expect(report.signatures[0]).toMatchObject({
      format: 'CAdES-BASELINE-T',
      checks: { timestamp: { passed: true } },
    });
  });

  it('finds no chain for a CA that is not a configured trust anchor, even with the same names', async () => {
    const { cms } = await signedBy(national, document);
    const validator = new SignatureValidator(
      new TrustStore([city.root], [city.issuing]),
      city,
      register(null),
    );
    const report = await validator.validateDetached(document, cms);
    expect(report).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
  });

  it('chains to a root added by configuration (the national root), revocation then unknown here', async () => {
    const { cms } = await signedBy(national, document);
    const trust = new TrustStore([city.root, national.root], [city.issuing]);
    const report = await new SignatureValidator(trust, city, register(null)).validateDetached(document, cms);
    expect(report.signatures[0].checks.chain.passed).toBe(true);
    expect(report.signatures[0].checks.chain.certificates.at(-1)?.serialNumber).toBe(
      national.root.serialNumber.toLowerCase(),
    );
    // The validator checks the city TSA's token: this one is the national PKI's TSA, not trusted by name alone.
    expect(report.indication).toBe('INDETERMINATE');
  });

  it('fails a revoked certificate (keyCompromise), and keeps a signature timestamped before a benign revocation', async () => {
    const { cms } = await signedBy(city, document);
    const trust = new TrustStore([city.root], [city.issuing]);
    const later = new Date(Date.now() + 60_000);
    const compromised = new SignatureValidator(
      trust,
      city,
      register({ status: 'revoked', revokedAt: later, revocationReason: 'keyCompromise' }),
    );
    expect(await compromised.validateDetached(document, cms)).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'REVOKED',
    });
    const superseded = new SignatureValidator(
      trust,
      city,
      register({ status: 'revoked', revokedAt: later, revocationReason: 'superseded' }),
    );
    const report = await superseded.validateDetached(document, cms);
    expect(report.indication).toBe('TOTAL-PASSED');
    expect(report.signatures[0].warnings.join(' ')).toContain('revoked (superseded) after');
    const before = new SignatureValidator(
      trust,
      city,
      register({
        status: 'revoked',
        revokedAt: new Date(Date.now() - 3_600_000),
        revocationReason: 'superseded',
      }),
    );
    expect(await before.validateDetached(document, cms)).toMatchObject({ subIndication: 'REVOKED' });
  });

  it('fails a changed document (HASH_FAILURE) and an unreadable signature (FORMAT_FAILURE)', async () => {
    const { cms } = await signedBy(city, document);
    const validator = new SignatureValidator(
      new TrustStore([city.root], [city.issuing]),
      city,
      register({ status: 'active' }),
    );
    expect(await validator.validateDetached(Buffer.from('quyết định số 124/QĐ-UBND\n'), cms)).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'HASH_FAILURE',
    });
    expect(await validator.validateDetached(document, Buffer.from('not a CMS'))).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
  });
});
