import {
  buildEvent,
  type CertificateRevocationReason,
  CertificateRevokedV1,
  type CloudEvent,
} from '@backbone/contracts';
import type { SignerCertificate } from '../certificates/signer-certificate.entity';

export type RevocationDecision =
  { kind: 'revoke'; event: CloudEvent<CertificateRevokedV1> } | { kind: 'refuse'; reason: string };

/**
 * The revocation rule, without I/O: an active certificate becomes revoked from `now` with the reason
 * (RFC 5280 CRLReason); a revoked one stays as it was (refused: revocation is final, and the first
 * reason and time are what the CRL and the signatures' validation rely on).
 */
export function revokeCertificate(
  certificate: SignerCertificate,
  input: { reason: CertificateRevocationReason; revokedBy: string },
  now: Date,
  trace: { correlationid?: string; causationid?: string } = {},
): RevocationDecision {
  if (certificate.status === 'revoked')
    return { kind: 'refuse', reason: `Certificate ${certificate.serialNumber} is already revoked` };
  if (input.reason === 'removeFromCRL')
    return { kind: 'refuse', reason: 'removeFromCRL is for delta CRLs; a revocation here is final' };
  certificate.status = 'revoked';
  certificate.revokedAt = now;
  certificate.revocationReason = input.reason;
  certificate.revokedBy = input.revokedBy;
  certificate.version += 1;
  const event = buildEvent(CertificateRevokedV1, {
    ...trace,
    subject: certificate.serialNumber,
    unitcode: certificate.unitCode,
    sequence: certificate.version,
    time: now,
    data: { certificateSerial: certificate.serialNumber, revokedAt: now.toISOString(), reason: input.reason },
  });
  return { kind: 'revoke', event };
}
