import { base32Decode, totpAt } from './totp-client';

describe('the demo signer authenticator', () => {
  it('gives the RFC 6238 SHA-1 codes (6 digits of the appendix B values)', () => {
    const seed = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'); // "12345678901234567890"
    expect(seed.toString('ascii')).toBe('12345678901234567890');
    expect(totpAt(seed, new Date(59_000))).toBe('287082');
    expect(totpAt(seed, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpAt(seed, new Date(20_000_000_000_000))).toBe('353130');
  });
});
