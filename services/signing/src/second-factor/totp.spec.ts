import { base32Decode, base32Encode, checkTotp, hotp, otpauthUri, totpAt, totpStep } from './totp';

// RFC 6238 appendix B, SHA-1 rows: the seed is ASCII "12345678901234567890", codes of 8 digits.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_VECTORS)('gives the RFC test vector at T=%i', (seconds, code) => {
    expect(totpAt(RFC_SEED, new Date(seconds * 1000), 8)).toBe(code);
  });

  it('gives the RFC 4226 HOTP vectors', () => {
    expect([0, 1, 2, 9].map((counter) => hotp(RFC_SEED, counter))).toEqual([
      '755224',
      '287082',
      '359152',
      '520489',
    ]);
  });

  it('accepts the current code and one step of drift, once', () => {
    const now = new Date('2026-11-30T03:00:10Z');
    const code = totpAt(RFC_SEED, now);
    expect(checkTotp(RFC_SEED, code, now, null)).toEqual({ ok: true, step: totpStep(now) });
    const later = new Date(now.getTime() + 30_000);
    expect(checkTotp(RFC_SEED, code, later, null)).toEqual({ ok: true, step: totpStep(now) });
    // The same code again (or any code of that step or before) is a replay.
    expect(checkTotp(RFC_SEED, code, now, totpStep(now))).toEqual({ ok: false, why: 'replayed' });
    // Two steps late: no longer valid.
    expect(checkTotp(RFC_SEED, code, new Date(now.getTime() + 61_000), null)).toEqual({
      ok: false,
      why: 'wrong',
    });
  });

  it('refuses a wrong or malformed code', () => {
    const now = new Date('2026-11-30T03:00:10Z');
    const wrong = String((Number(totpAt(RFC_SEED, now)) + 1) % 1_000_000).padStart(6, '0');
    expect(checkTotp(RFC_SEED, wrong, now, null).ok).toBe(false);
    expect(checkTotp(RFC_SEED, '12a456', now, null)).toEqual({ ok: false, why: 'wrong' });
    expect(checkTotp(RFC_SEED, '', now, null)).toEqual({ ok: false, why: 'wrong' });
  });

  it('round-trips base32 and writes an otpauth URI', () => {
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(RFC_SEED);
    expect(otpauthUri('Hanoi signing', '00070', RFC_SEED)).toBe(
      'otpauth://totp/Hanoi%20signing:00070?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hanoi+signing&algorithm=SHA1&digits=6&period=30',
    );
  });
});
