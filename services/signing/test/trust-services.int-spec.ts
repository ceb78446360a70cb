import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@backbone/contracts';
import { readTopicUntil, uniqueName } from '@backbone/testing';
import { eventsOf, type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import * as x509 from '@peculiar/x509';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { CertificateExpiryWatch } from '../src/certificate-expiry/certificate-expiry-watch';
import { SigningConfig } from '../src/config';
import { PKI_FILES } from '../src/pki/city-pki';
import { DocumentSigning } from '../src/signer/document-signing';
import { aResultPdf, alteredAfterSigning, anEncryptedPdf } from './support/documents';
import { nssDatabaseTrusting, scratch, tool } from './support/independent-verifiers';

/** The /ByteRange of the (only) signature. */
function byteRangeOf(pdf: Buffer): number[] {
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)/.exec(pdf.toString('latin1'));
  if (!match) throw new Error('no /ByteRange');
  return match.slice(1).map(Number);
}

/** The CMS in /Contents, without the placeholder's zero padding after it. */
function contentsOf(pdf: Buffer): Buffer {
  const [a, b, c] = byteRangeOf(pdf);
  const padded = Buffer.from(pdf.subarray(a + b + 1, c - 1).toString('latin1'), 'hex');
  return padded.subarray(0, asn1js.fromBER(new Uint8Array(padded)).offset);
}

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ

interface CertificateBody {
  certificateId: string;
  serialNumber: string;
  certificatePem: string;
  subject: string;
  status: string;
}
interface SignatureBody {
  signatureId: string;
  signedDocumentSha256: string;
  documentSha256: string;
  certificateSerial: string;
  signedDocumentUrl: string;
}
interface ReportBody {
  indication: string;
  subIndication?: string;
  reportId?: string;
  signatures: {
    format: string;
    indication: string;
    subIndication?: string;
    checks: Record<string, { passed: boolean }>;
  }[];
}

describe('signing: the city PKI, timestamps, PAdES/CAdES/JWS and validation (real PostgreSQL, Kafka, pdfsig, openssl)', () => {
  let t: ServiceTestApp<SigningConfig>;
  let pkiDir: string;
  let files: Awaited<ReturnType<typeof scratch>>;
  let nssDatabase: string;
  const topic = uniqueName('test_signing_events');
  const headA = uuidv7(); // a unit head of ward A, who will hold a certificate
  const headB = uuidv7(); // a unit head of ward B
  const rootPem = () => join(pkiDir, PKI_FILES.rootCertificate);
  const issuingPem = () => join(pkiDir, PKI_FILES.issuingCertificate);

  beforeAll(async () => {
    pkiDir = await mkdtemp(join(tmpdir(), 'signing-pki-'));
    t = await startServiceTestApp({
      serviceName: 'signing',
      configSchema: SigningConfig,
      module: (config) => AppModule.forRoot(config),
      topics: [{ topic, numPartitions: 3 }],
      env: {
        SIGNING_EVENTS_TOPIC: topic,
        SIGNING_EVENTS_PARTITIONS: '3',
        SIGNING_PKI_DIR: pkiDir,
        SIGNING_MAX_DOCUMENT_BYTES: String(5 * 1024 * 1024),
      },
    });
    files = await scratch();
    nssDatabase = await nssDatabaseTrusting(files.dir, rootPem());
  });
  afterAll(async () => {
    await t?.close();
    await files?.remove();
    if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
  });

  const admin = () => t.token('city-admin-1', ['city-admin'], []);
  const inject = async (
    method: 'GET' | 'POST',
    url: string,
    token: string | undefined,
    body?: { type: string; payload: Buffer | string },
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': body.type } : {}),
      },
      ...(body ? { payload: body.payload } : {}),
    });
  const issue = async (holderId: string, unitCode: string, commonName: string) => {
    const response = await inject('POST', '/certificates', await admin(), {
      type: 'application/json',
      payload: JSON.stringify({ holderId, unitCode, commonName, title: 'Chu tich UBND phuong' }),
    });
    expect(response.statusCode).toBe(201);
    return response.json() as CertificateBody;
  };
  const signPades = async (token: string, pdf: Buffer, query = `unitCode=${WARD_A}`) =>
    inject('POST', `/signatures/pades?${query}`, token, { type: 'application/pdf', payload: pdf });
  const signedDocument = async (token: string, signature: SignatureBody) =>
    (await inject('GET', signature.signedDocumentUrl, token)).rawPayload;
  const validate = async (token: string, pdf: Buffer, query = '') =>
    (
      await inject('POST', `/validations${query}`, token, { type: 'application/pdf', payload: pdf })
    ).json() as ReportBody;
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: t.database.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  let certificateA: CertificateBody;
  let signedPdf: Buffer;
  let signatureA: SignatureBody;

  it('issues a signer certificate for a person and unit, its key encrypted at rest, and publishes certificate.issued.v1', async () => {
    certificateA = await issue(headA, WARD_A, 'Nguyễn Văn An');
    const certificate = new x509.X509Certificate(certificateA.certificatePem);
    expect(certificate.subject).toContain(`OU=${WARD_A}`);
    expect(certificate.subject).toContain('CN=Nguyễn Văn An');
    const usage = certificate.getExtension(x509.KeyUsagesExtension);
    expect(usage?.critical).toBe(true);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(certificate.getExtension(x509.CRLDistributionPointsExtension)).toBeDefined();

    const [stored] = await sql<{ key_handle: string; key_device: string }>(
      `SELECT key_handle, key_device FROM signer_certificates WHERE id = $1`,
      [certificateA.certificateId],
    );
    expect(stored.key_device).toBe('local');
    expect(stored.key_handle).toMatch(/^v1\./); // FieldCipher's AES-256-GCM form
    expect(stored.key_handle).not.toContain('PRIVATE KEY');

    const records = await readTopicUntil(topic, (all) => {
      if (!all.some((record) => record.key?.toString() === certificateA.serialNumber))
        throw new Error('not yet');
    });
    const [event] = eventsOf(
      records.filter((record) => record.key?.toString() === certificateA.serialNumber),
    );
    expect(event).toMatchObject({
      type: 'certificate.issued.v1',
      unitcode: WARD_A,
      data: { certificateSerial: certificateA.serialNumber, holderId: headA, keyAlgorithm: 'EC-P256' },
    });
    expect(JSON.stringify(event)).not.toContain('Nguyễn');
  });

  it('signs a PDF as PAdES B-T that pdfsig finds valid and trusted, with a TSA token openssl verifies', async () => {
    const token = await t.token(headA, ['unit-head'], [WARD_A]);
    const original = await aResultPdf();
    const response = await signPades(
      token,
      original,
      `unitCode=${WARD_A}&visible=true&reason=Phe%20duyet&location=Ha%20Noi`,
    );
    expect(response.statusCode).toBe(201);
    signatureA = response.json() as SignatureBody;
    expect(signatureA.documentSha256).toBe(createHash('sha256').update(original).digest('hex'));
    signedPdf = await signedDocument(token, signatureA);
    expect(createHash('sha256').update(signedPdf).digest('hex')).toBe(signatureA.signedDocumentSha256);
    expect(signedPdf.includes('/SubFilter /ETSI.CAdES.detached')).toBe(true);

    const pdfPath = await files.file('signed.pdf', signedPdf);
    const pdfsig = await tool('pdfsig', ['-nssdir', nssDatabase, pdfPath]);
    expect(pdfsig.output).toContain('Signature is Valid');
    expect(pdfsig.output).toContain('Certificate is Trusted');
    expect(pdfsig.output).toContain('ETSI.CAdES.detached');

    // The signature timestamp (RFC 3161 token in the unsigned attributes), verified by openssl ts.
    const record = (await inject('GET', `/signatures/${signatureA.signatureId}`, token)).json() as {
      timestampToken: string;
      certificateSerial: string;
      certificateChainPem: string;
      revocationStatus: string;
      hashAlgorithm: string;
      outcome: string;
    };
    expect(record).toMatchObject({
      revocationStatus: 'good',
      hashAlgorithm: 'SHA-256',
      outcome: 'completed',
    });
    expect(record.certificateChainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    const tokenPath = await files.file('pades-token.der', Buffer.from(record.timestampToken, 'base64'));
    const tokenText = await tool('openssl', [
      'ts',
      '-reply',
      '-in',
      tokenPath,
      '-token_in',
      '-text',
      '-token_out',
    ]);
    expect(tokenText.output).toContain('Policy OID');
    // The token is over SHA-256 of the CMS signature value (ETSI signature-time-stamp).
    const cms = AsnConvert.parse(contentsOf(signedPdf), ContentInfo);
    const signatureValue = AsnConvert.parse(cms.content, SignedData).signerInfos[0].signature.buffer;
    const imprint = createHash('sha256').update(Buffer.from(signatureValue)).digest('hex');
    const tokenVerified = await tool('openssl', [
      'ts',
      '-verify',
      '-digest',
      imprint,
      '-in',
      tokenPath,
      '-token_in',
      '-CAfile',
      rootPem(),
      '-untrusted',
      issuingPem(),
    ]);
    expect(tokenVerified.output).toContain('Verification: OK');
    const report = await validate(token, signedPdf);
    expect(report.indication).toBe('TOTAL-PASSED');
    expect(report.signatures[0]).toMatchObject({ format: 'PAdES-BASELINE-T', indication: 'TOTAL-PASSED' });
  });

  it('answers RFC 3161 requests at /tsa with tokens openssl ts -verify accepts (EKU timeStamping, critical)', async () => {
    const data = await files.file('data.txt', 'hồ sơ 000.00.70.H26-260701-0001\n');
    const query = join(files.dir, 'request.tsq');
    expect(
      (await tool('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query])).code,
    ).toBe(0);
    const response = await inject('POST', '/tsa', undefined, {
      type: 'application/timestamp-query',
      payload: await readFile(query),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/timestamp-reply');
    const reply = await files.file('reply.tsr', response.rawPayload);
    const verified = await tool('openssl', [
      'ts',
      '-verify',
      '-data',
      data,
      '-in',
      reply,
      '-CAfile',
      rootPem(),
      '-untrusted',
      issuingPem(),
    ]);
    expect(verified.output).toContain('Verification: OK');
    const text = await tool('openssl', ['ts', '-reply', '-in', reply, '-text']);
    expect(text.output).toContain('Status: Granted');

    const garbage = await inject('POST', '/tsa', undefined, {
      type: 'application/timestamp-query',
      payload: Buffer.from('not DER'),
    });
    const rejected = await files.file('rejected.tsr', garbage.rawPayload);
    expect((await tool('openssl', ['ts', '-reply', '-in', rejected, '-text'])).output).toContain(
      'Status: Rejected',
    );
  });

  it('signs any file as detached CAdES that openssl cms -verify accepts against the city root, and JSON as JWS', async () => {
    const token = await t.token(headA, ['unit-head'], [WARD_A]);
    const file = Buffer.from('biên bản họp ngày 01/07/2026\n', 'utf8');
    const created = await inject('POST', `/signatures/cades?unitCode=${WARD_A}`, token, {
      type: 'application/octet-stream',
      payload: file,
    });
    expect(created.statusCode).toBe(201);
    const p7s = await signedDocument(token, created.json() as SignatureBody);
    const content = await files.file('minutes.txt', file);
    const signature = await files.file('minutes.p7s', p7s);
    const verified = await tool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      signature,
      '-content',
      content,
      '-CAfile',
      rootPem(),
      '-out',
      '/dev/null',
    ]);
    expect(verified.output).toContain('Verification successful');
    const tampered = await files.file('minutes-tampered.txt', Buffer.concat([file, Buffer.from('x')]));
    const refused = await tool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      signature,
      '-content',
      tampered,
      '-CAfile',
      rootPem(),
      '-out',
      '/dev/null',
    ]);
    expect(refused.code).not.toBe(0);

    const detached = async (document: Buffer) =>
      (
        await inject('POST', '/validations/detached', token, {
          type: 'application/vnd.backbone.detached-signature+json',
          payload: JSON.stringify({
            document: document.toString('base64'),
            signature: p7s.toString('base64'),
          }),
        })
      ).json() as ReportBody;
    expect(await detached(file)).toMatchObject({ indication: 'TOTAL-PASSED' });
    expect(await detached(Buffer.concat([file, Buffer.from('x')]))).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'HASH_FAILURE',
    });

    const jws = await inject('POST', `/signatures/jws?unitCode=${WARD_A}`, token, {
      type: 'application/json',
      payload: JSON.stringify({ dossierCode: '000.00.70.H26-260701-0001', result: 'approved' }),
    });
    expect(jws.statusCode).toBe(201);
    const compact = (await signedDocument(token, jws.json() as SignatureBody)).toString('ascii');
    const { compactVerify, importX509 } = await import('jose');
    const header = JSON.parse(Buffer.from(compact.split('.')[0], 'base64url').toString()) as {
      x5c: string[];
      alg: string;
    };
    expect(header.alg).toBe('ES256');
    const key = await importX509(
      `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`,
      'ES256',
    );
    const { payload } = await compactVerify(compact, key);
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({
      dossierCode: '000.00.70.H26-260701-0001',
      result: 'approved',
    });
  });

  it('a PDF altered after signing fails pdfsig, openssl and our validation', async () => {
    const token = await t.token(headA, ['unit-head'], [WARD_A]);
    const altered = alteredAfterSigning(signedPdf);
    const pdfsig = await tool('pdfsig', ['-nssdir', nssDatabase, await files.file('altered.pdf', altered)]);
    expect(pdfsig.output).not.toContain('Signature is Valid');
    expect(pdfsig.output).toMatch(/Digest Mismatch|Signature is Invalid/);

    // openssl: the CMS from /Contents against the bytes the /ByteRange covers.
    const [a, b, c, d] = byteRangeOf(altered);
    const covered = Buffer.concat([altered.subarray(a, a + b), altered.subarray(c, c + d)]);
    const cms = contentsOf(altered);
    const original = await tool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      await files.file('original.p7s', contentsOf(signedPdf)),
      '-content',
      await files.file(
        'original-covered.bin',
        Buffer.concat([signedPdf.subarray(a, a + b), signedPdf.subarray(c, c + d)]),
      ),
      '-CAfile',
      rootPem(),
      '-out',
      '/dev/null',
    ]);
    expect(original.output).toContain('Verification successful'); // the control: the same check passes before the change
    const opensslResult = await tool('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      await files.file('altered.p7s', cms),
      '-content',
      await files.file('altered-covered.bin', covered),
      '-CAfile',
      rootPem(),
      '-out',
      '/dev/null',
    ]);
    expect(opensslResult.code).not.toBe(0);

    const report = await validate(token, altered, '?store=true');
    expect(report).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
    const stored = await inject('GET', `/validations/${report.reportId}`, token);
    expect(stored.json()).toMatchObject({ indication: 'TOTAL-FAILED', reportId: report.reportId });
  });

  it('refuses bad input with a clear 4xx and signs nothing', async () => {
    const token = await t.token(headA, ['unit-head'], [WARD_A]);
    const before = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM signatures`);
    const notPdf = await signPades(token, Buffer.from('just some text, not a PDF'));
    expect(notPdf.statusCode).toBe(422);
    expect(notPdf.json()).toMatchObject({ type: 'urn:backbone:problem:signing:not-a-pdf' });
    expect(notPdf.headers['content-type']).toMatch(/^application\/problem\+json/);
    const empty = await signPades(token, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    const encrypted = await signPades(token, await anEncryptedPdf());
    expect(encrypted.statusCode).toBe(422);
    expect(encrypted.json()).toMatchObject({ type: 'urn:backbone:problem:signing:encrypted-pdf' });
    const huge = await signPades(token, Buffer.alloc(200 * 1024 * 1024, 0x25));
    expect(huge.statusCode).toBe(413);
    const alreadySigned = await signPades(token, signedPdf);
    expect(alreadySigned.statusCode).toBe(422);
    const wrongUnit = await signPades(token, await aResultPdf(), `unitCode=${WARD_B}`);
    expect(wrongUnit.statusCode).toBe(403);

    // Someone else's certificate: head B (no certificate of ward A) names head A's.
    const headBToken = await t.token(headB, ['unit-head'], [WARD_A]);
    const stolen = await signPades(
      headBToken,
      await aResultPdf(),
      `unitCode=${WARD_A}&certificateId=${certificateA.certificateId}`,
    );
    expect(stolen.statusCode).toBe(403);
    expect(stolen.json()).toMatchObject({ type: 'urn:backbone:problem:signing:certificate-not-owned' });
    const none = await signPades(headBToken, await aResultPdf());
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ type: 'urn:backbone:problem:signing:no-active-certificate' });

    const after = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM signatures`);
    expect(after[0].count).toBe(before[0].count);
  });

  it('refuses an expired certificate, and warns 30 days ahead with certificate.expiring.v1 and the gauge', async () => {
    const holder = uuidv7();
    const expiring = await issue(holder, WARD_B, 'Trần Thị Bình');
    await sql(`UPDATE signer_certificates SET not_after = now() + interval '10 days' WHERE id = $1`, [
      expiring.certificateId,
    ]);
    const warned = await t.app.get(CertificateExpiryWatch).scan();
    expect(warned).toBeGreaterThanOrEqual(1);
    const records = await readTopicUntil(topic, (all) => {
      if (
        !eventsOf(all.filter((r) => r.key?.toString() === expiring.serialNumber)).some(
          (e) => e.type === 'certificate.expiring.v1',
        )
      )
        throw new Error('not yet');
    });
    const warning = eventsOf(records.filter((r) => r.key?.toString() === expiring.serialNumber)).find(
      (e) => e.type === 'certificate.expiring.v1',
    );
    expect(warning).toMatchObject({ sequence: 2, data: { holderId: holder, daysLeft: 9 } });
    expect(await t.app.get(CertificateExpiryWatch).scan()).toBe(0); // once per certificate
    const metrics = await inject('GET', '/metrics', undefined);
    expect(metrics.body).toMatch(/signing_certificates_expiring\{within_days="30"\} [1-9]/);

    await sql(`UPDATE signer_certificates SET not_after = now() - interval '1 minute' WHERE id = $1`, [
      expiring.certificateId,
    ]);
    const token = await t.token(holder, ['unit-head'], [WARD_B]);
    const refused = await signPades(token, await aResultPdf(), `unitCode=${WARD_B}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: 'urn:backbone:problem:signing:certificate-expired' });
  });

  it('signs through DocumentSigning for the other slices (reference and given id kept with the record)', async () => {
    const signing = t.app.get(DocumentSigning);
    const holder = uuidv7();
    const certificate = await signing.ensureCertificateFor({
      holderId: holder,
      unitCode: WARD_B,
      commonName: 'Demo signer 00103',
    });
    expect(
      await signing.ensureCertificateFor({
        holderId: holder,
        unitCode: WARD_B,
        commonName: 'Demo signer 00103',
      }),
    ).toMatchObject({
      certificateId: certificate.certificateId,
    });
    expect(await signing.findActiveCertificateFor(holder, WARD_B)).toMatchObject({
      serialNumber: certificate.serialNumber,
    });
    const dossierId = uuidv7();
    const signatureId = uuidv7();
    const result = await signing.signPdf({
      pdf: await aResultPdf(),
      signerUserId: holder,
      unitCode: WARD_B,
      signatureId,
      reference: { kind: 'dossier-result', id: dossierId, code: '000.00.03.H26-260701-0002' },
    });
    expect(result).toMatchObject({
      signatureId,
      certificateSerial: certificate.serialNumber,
      format: 'PAdES',
      revocationStatus: 'good',
    });
    const [row] = await sql<{ reference_id: string; reference_code: string }>(
      `SELECT reference_id, reference_code FROM signatures WHERE id = $1`,
      [signatureId],
    );
    expect(row).toEqual({ reference_id: dossierId, reference_code: '000.00.03.H26-260701-0002' });
    await expect(
      signing.signPdf({ pdf: await aResultPdf(), signerUserId: uuidv7(), unitCode: WARD_B }),
    ).rejects.toMatchObject({
      problemType: 'urn:backbone:problem:signing:no-active-certificate',
    });
  });

  it('revocation: the CRL lists the certificate, earlier signatures validate TOTAL-FAILED/REVOKED, new ones are refused', async () => {
    const token = await t.token(headA, ['unit-head'], [WARD_A]);
    const outsider = await t.token(headB, ['unit-head'], [WARD_B]);
    expect(
      (
        await inject('POST', `/certificates/${certificateA.certificateId}/revocation`, outsider, {
          type: 'application/json',
          payload: '{"reason":"keyCompromise"}',
        })
      ).statusCode,
    ).toBe(404);
    const revoked = await inject(
      'POST',
      `/certificates/${certificateA.certificateId}/revocation`,
      await admin(),
      {
        type: 'application/json',
        payload: JSON.stringify({ reason: 'keyCompromise' }),
      },
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    const again = await inject(
      'POST',
      `/certificates/${certificateA.certificateId}/revocation`,
      await admin(),
      {
        type: 'application/json',
        payload: JSON.stringify({ reason: 'superseded' }),
      },
    );
    expect(again.statusCode).toBe(409);

    const crl = await inject('GET', '/pki/crl', undefined);
    expect(crl.statusCode).toBe(200);
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    const crlPath = await files.file('city.crl', crl.rawPayload);
    const crlText = await tool('openssl', ['crl', '-inform', 'DER', '-in', crlPath, '-noout', '-text']);
    expect(crlText.output.toLowerCase()).toContain(certificateA.serialNumber.toLowerCase());
    expect(crlText.output).toContain('Key Compromise');
    const crlVerified = await tool('openssl', [
      'crl',
      '-inform',
      'DER',
      '-in',
      crlPath,
      '-noout',
      '-CAfile',
      issuingPem(),
    ]);
    expect(crlVerified.output).toContain('verify OK');

    const records = await readTopicUntil(topic, (all) => {
      if (
        !eventsOf(all.filter((r) => r.key?.toString() === certificateA.serialNumber)).some(
          (e) => e.type === 'certificate.revoked.v1',
        )
      )
        throw new Error('not yet');
    });
    expect(
      eventsOf(records.filter((r) => r.key?.toString() === certificateA.serialNumber)).map((e) => e.type),
    ).toEqual(['certificate.issued.v1', 'certificate.revoked.v1']);

    const report = await validate(token, signedPdf);
    expect(report).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    const refused = await signPades(token, await aResultPdf());
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: 'urn:backbone:problem:signing:certificate-revoked' });
  });
});
