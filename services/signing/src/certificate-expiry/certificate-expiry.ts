import { buildEvent, CertificateExpiringV1, type CloudEvent } from '@backbone/contracts';
import type { SignerCertificate } from '../certificates/signer-certificate.entity';

const DAY_MS = 86_400_000;

/**
 * The expiry rule, without I/O: an active certificate whose end of validity is within the warning
 * period, and that was not warned about yet, gets one certificate.expiring.v1 (its next sequence).
 */
export function expiryWarning(
  certificate: SignerCertificate,
  now: Date,
  warningDays: number,
): CloudEvent<CertificateExpiringV1> | null {
  if (certificate.status !== 'active' || certificate.expiryWarnedAt) return null;
  const left = certificate.notAfter.getTime() - now.getTime();
  if (left <= 0 || left > warningDays * DAY_MS) return null;
  return buildEvent(CertificateExpiringV1, {
    subject: certificate.serialNumber,
    unitcode: certificate.unitCode,
    sequence: certificate.version + 1,
    time: now,
    data: {
      certificateSerial: certificate.serialNumber,
      holderId: certificate.holderId,
      notAfter: certificate.notAfter.toISOString(),
      daysLeft: Math.floor(left / DAY_MS),
      warnedAt: now.toISOString(),
    },
  });
}
