import { parseEvent } from '@backbone/contracts';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { revokeCertificate } from './revoke-certificate';

const aCertificate = (overrides: Partial<SignerCertificate> = {}) =>
  Object.assign(new SignerCertificate(), {
    id: '01981c8c-1800-731e-935e-5649ac28d26a',
    serialNumber: '4e3f21a09c7d55b1',
    holderId: '01981c8c-1800-731e-935e-5649ac28d26b',
    unitCode: '00070',
    status: 'active',
    revokedAt: null,
    revocationReason: null,
    revokedBy: null,
    version: 1,
    ...overrides,
  });

describe('revokeCertificate', () => {
  const now = new Date('2026-07-01T02:00:00.000Z');

  it('revokes an active certificate from now, with its reason, as the next event of the certificate', () => {
    const certificate = aCertificate();
    const decision = revokeCertificate(certificate, { reason: 'keyCompromise', revokedBy: 'admin-1' }, now);
    expect(decision.kind).toBe('revoke');
    if (decision.kind !== 'revoke') return;
    expect(certificate).toMatchObject({
      status: 'revoked',
      revokedAt: now,
      revocationReason: 'keyCompromise',
      revokedBy: 'admin-1',
      version: 2,
    });
    expect(decision.event).toMatchObject({
      type: 'certificate.revoked.v1',
      subject: '4e3f21a09c7d55b1',
      unitcode: '00070',
      sequence: 2,
      data: { certificateSerial: '4e3f21a09c7d55b1', revokedAt: now.toISOString(), reason: 'keyCompromise' },
    });
    expect(parseEvent(JSON.stringify(decision.event))).toEqual(decision.event);
  });

  it('keeps a revocation final: a second one and removeFromCRL are refused, nothing changes', () => {
    const revoked = aCertificate({
      status: 'revoked',
      revokedAt: now,
      revocationReason: 'superseded',
      version: 2,
    });
    expect(revokeCertificate(revoked, { reason: 'keyCompromise', revokedBy: 'admin-1' }, now)).toMatchObject({
      kind: 'refuse',
    });
    expect(revoked.revocationReason).toBe('superseded');
    const active = aCertificate();
    expect(revokeCertificate(active, { reason: 'removeFromCRL', revokedBy: 'admin-1' }, now)).toMatchObject({
      kind: 'refuse',
    });
    expect(active.status).toBe('active');
  });
});
