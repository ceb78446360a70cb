import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { expiryWarning } from './certificate-expiry';

const DAY = 86_400_000;
const now = new Date('2026-07-01T00:00:00.000Z');
const aCertificate = (notAfter: Date, overrides: Partial<SignerCertificate> = {}) =>
  Object.assign(new SignerCertificate(), {
    serialNumber: '0a1b',
    holderId: '01981c8c-1800-731e-935e-5649ac28d26b',
    unitCode: '00466',
    status: 'active',
    notAfter,
    expiryWarnedAt: null,
    version: 1,
    ...overrides,
  });

describe('expiryWarning', () => {
  it('warns once within the period, with the days left, as the next event of the certificate', () => {
    const event = expiryWarning(aCertificate(new Date(now.getTime() + 30 * DAY)), now, 30);
    expect(event).toMatchObject({
      type: 'certificate.expiring.v1',
      subject: '0a1b',
      sequence: 2,
      data: { daysLeft: 30, notAfter: '2026-07-31T00:00:00.000Z', warnedAt: now.toISOString() },
    });
    expect(
      expiryWarning(aCertificate(new Date(now.getTime() + 12 * 3_600_000)), now, 30)?.data.daysLeft,
    ).toBe(0);
  });

  it('says nothing outside the period, after expiry, when revoked or already warned', () => {
    expect(expiryWarning(aCertificate(new Date(now.getTime() + 31 * DAY)), now, 30)).toBeNull();
    expect(expiryWarning(aCertificate(new Date(now.getTime() - 1)), now, 30)).toBeNull();
    expect(
      expiryWarning(aCertificate(new Date(now.getTime() + DAY), { status: 'revoked' }), now, 30),
    ).toBeNull();
    expect(
      expiryWarning(aCertificate(new Date(now.getTime() + DAY), { expiryWarnedAt: now }), now, 30),
    ).toBeNull();
  });
});
