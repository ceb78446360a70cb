import { decideIndication, overallIndication, type SignatureValidation } from './validation-report';

const passing = (): SignatureValidation['checks'] => ({
  format: { passed: true, details: [] },
  signingCertificateIdentification: { passed: true, details: [] },
  integrity: { passed: true, details: [] },
  chain: { passed: true, details: [], certificates: [] },
  revocation: { passed: true, details: [], status: 'good', source: 'city CA register' },
  timestamp: { passed: true, details: [], present: true },
  documentCoverage: { passed: true, details: [] },
});
const facts = {
  hashMismatch: false,
  revokedBeforeOrUnsafe: false,
  notYetValid: false,
  expiredWithoutPoe: false,
};

describe('decideIndication (ETSI EN 319 102-1 indications)', () => {
  it('passes when every building block passes', () => {
    expect(decideIndication(passing(), facts)).toEqual({ indication: 'TOTAL-PASSED' });
  });

  it('fails on format, changed content, bad signature value, revocation and not-yet-valid certificates', () => {
    const checks = passing();
    checks.documentCoverage = { passed: false, details: [] };
    expect(decideIndication(checks, facts)).toEqual({
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
    const tampered = passing();
    tampered.integrity.passed = false;
    expect(decideIndication(tampered, { ...facts, hashMismatch: true })).toMatchObject({
      subIndication: 'HASH_FAILURE',
    });
    expect(decideIndication(tampered, facts)).toMatchObject({ subIndication: 'SIG_CRYPTO_FAILURE' });
    const revoked = passing();
    revoked.revocation.status = 'revoked';
    expect(decideIndication(revoked, { ...facts, revokedBeforeOrUnsafe: true })).toEqual({
      indication: 'TOTAL-FAILED',
      subIndication: 'REVOKED',
    });
    expect(decideIndication(passing(), { ...facts, notYetValid: true })).toMatchObject({
      subIndication: 'NOT_YET_VALID',
    });
  });

  it('is indeterminate without a trusted chain, a usable timestamp or a revocation source', () => {
    const untrusted = passing();
    untrusted.chain.passed = false;
    expect(decideIndication(untrusted, facts)).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(decideIndication(untrusted, { ...facts, expiredWithoutPoe: true })).toMatchObject({
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
    const badTimestamp = passing();
    badTimestamp.timestamp.passed = false;
    expect(decideIndication(badTimestamp, facts)).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_POE',
    });
    const unknown = passing();
    unknown.revocation.status = 'unknown';
    expect(decideIndication(unknown, facts)).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
    const noSigner = passing();
    noSigner.signingCertificateIdentification.passed = false;
    expect(decideIndication(noSigner, facts)).toMatchObject({
      subIndication: 'NO_SIGNING_CERTIFICATE_FOUND',
    });
  });

  it("gives the document its worst signature's indication, and FORMAT_FAILURE without any signature", () => {
    const signature = (
      indication: SignatureValidation['indication'],
      subIndication?: 'REVOKED' | 'TRY_LATER',
    ) => ({ indication, ...(subIndication ? { subIndication } : {}) }) as SignatureValidation;
    expect(overallIndication([])).toEqual({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(overallIndication([signature('TOTAL-PASSED'), signature('INDETERMINATE', 'TRY_LATER')])).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
    expect(
      overallIndication([signature('INDETERMINATE', 'TRY_LATER'), signature('TOTAL-FAILED', 'REVOKED')]),
    ).toEqual({
      indication: 'TOTAL-FAILED',
      subIndication: 'REVOKED',
    });
  });
});
