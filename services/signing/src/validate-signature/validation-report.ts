/**
 * The validation report, in the shape of ETSI EN 319 102-1 (§5.1.3 and Table 5): per signature an
 * indication, a sub-indication when not TOTAL-PASSED, and the building blocks' results (format,
 * identification of the signing certificate, integrity, X.509 chain, revocation, timestamp).
 */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

export type SubIndication =
  // TOTAL-FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'NOT_YET_VALID'
  // INDETERMINATE
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'TRY_LATER'
  | 'NO_POE'
  | 'SIGNED_DATA_NOT_FOUND';

export interface CheckResult {
  passed: boolean;
  details: string[];
}

export interface CertificateView {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

export interface SignatureValidation {
  /** S1, S2, ... in document order. */
  id: string;
  /** PAdES-BASELINE-T, PAdES-BASELINE-B, CAdES-BASELINE-T, ... as found. */
  format: string;
  indication: Indication;
  subIndication?: SubIndication;
  signingCertificate: CertificateView | null;
  /** Signer's claimed signing time (PAdES: /M; CAdES: signing-time), if any. */
  claimedSigningTime?: string;
  /** The time the signature is proven to have existed at: the timestamp's genTime, else the validation time. */
  bestSignatureTime: string;
  checks: {
    format: CheckResult;
    signingCertificateIdentification: CheckResult;
    integrity: CheckResult;
    chain: CheckResult & { certificates: CertificateView[]; trustAnchor?: string };
    revocation: CheckResult & {
      status: 'good' | 'revoked' | 'unknown';
      revokedAt?: string;
      reason?: string;
      source: string;
    };
    timestamp: CheckResult & { present: boolean; genTime?: string; authority?: string };
    documentCoverage?: CheckResult;
  };
  warnings: string[];
}

export interface ValidationReport {
  /** The policy applied: trust anchors from configuration, SHA-256+ only, revocation from the city CA. */
  policy: string;
  validationTime: string;
  documentSha256: string;
  /** The worst of the signatures' indications (a document without signature: TOTAL-FAILED/FORMAT_FAILURE). */
  indication: Indication;
  subIndication?: SubIndication;
  signatures: SignatureValidation[];
  /** Set when the report was stored (`?store=true`). */
  reportId?: string;
}

const SEVERITY: Record<Indication, number> = { 'TOTAL-PASSED': 0, INDETERMINATE: 1, 'TOTAL-FAILED': 2 };

/** The document's indication: its worst signature's. */
export function overallIndication(
  signatures: SignatureValidation[],
): Pick<ValidationReport, 'indication' | 'subIndication'> {
  if (signatures.length === 0) return { indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' };
  const worst = signatures.reduce((a, b) => (SEVERITY[b.indication] > SEVERITY[a.indication] ? b : a));
  return {
    indication: worst.indication,
    ...(worst.subIndication ? { subIndication: worst.subIndication } : {}),
  };
}

/**
 * The signature's indication from its checks, in the order ETSI EN 319 102-1 applies them: format,
 * then the signing certificate, integrity (hash, then signature value), the chain, revocation, the
 * timestamp.
 */
export function decideIndication(
  checks: SignatureValidation['checks'],
  facts: {
    hashMismatch: boolean;
    revokedBeforeOrUnsafe: boolean;
    notYetValid: boolean;
    expiredWithoutPoe: boolean;
  },
): Pick<SignatureValidation, 'indication' | 'subIndication'> {
  const failed = (subIndication: SubIndication) => ({ indication: 'TOTAL-FAILED' as const, subIndication });
  const indeterminate = (subIndication: SubIndication) => ({
    indication: 'INDETERMINATE' as const,
    subIndication,
  });
  if (!checks.format.passed) return failed('FORMAT_FAILURE');
  if (checks.documentCoverage && !checks.documentCoverage.passed) return failed('FORMAT_FAILURE');
  if (!checks.signingCertificateIdentification.passed) return indeterminate('NO_SIGNING_CERTIFICATE_FOUND');
  if (!checks.integrity.passed) return failed(facts.hashMismatch ? 'HASH_FAILURE' : 'SIG_CRYPTO_FAILURE');
  if (checks.revocation.status === 'revoked' && facts.revokedBeforeOrUnsafe) return failed('REVOKED');
  if (facts.notYetValid) return failed('NOT_YET_VALID');
  if (!checks.chain.passed)
    return indeterminate(facts.expiredWithoutPoe ? 'OUT_OF_BOUNDS_NO_POE' : 'NO_CERTIFICATE_CHAIN_FOUND');
  if (checks.timestamp.present && !checks.timestamp.passed) return indeterminate('NO_POE');
  if (checks.revocation.status === 'unknown') return indeterminate('TRY_LATER');
  return { indication: 'TOTAL-PASSED' };
}
