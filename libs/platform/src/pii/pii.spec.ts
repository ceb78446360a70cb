import { PSEUDONYM_PATTERN } from '@backbone/contracts';
import { randomBytes } from 'node:crypto';
import { DecryptionError, FieldCipher, keyRingFrom } from './field-cipher';
import { BlindIndex, Pseudonymizer } from './keyed-hash';
import { maskEmail, maskName, maskNationalId, maskPhone } from './masking';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

describe('FieldCipher (AES-256-GCM with key ids)', () => {
  it('round-trips Vietnamese text and never produces the same ciphertext twice', () => {
    const cipher = new FieldCipher(keyRingFrom([`a:${keyA}`], 'a'));
    const first = cipher.encrypt('Nguyễn Thị Hoà', 'citizen.full_name');
    const second = cipher.encrypt('Nguyễn Thị Hoà', 'citizen.full_name');
    expect(first).not.toBe(second);
    expect(first).not.toContain('Nguy');
    expect(first).toMatch(/^v1\.a\./);
    expect(cipher.decrypt(first, 'citizen.full_name')).toBe('Nguyễn Thị Hoà');
  });

  it('rotates keys: old ciphertext decrypts with its key id, new writes use the new key', () => {
    const before = new FieldCipher(keyRingFrom([`a:${keyA}`], 'a'));
    const oldValue = before.encrypt('001099012345');

    const after = new FieldCipher(keyRingFrom([`a:${keyA}`, `b:${keyB}`], 'b'));
    expect(after.decrypt(oldValue)).toBe('001099012345');
    expect(after.needsRotation(oldValue)).toBe(true);
    const newValue = after.encrypt('001099012345');
    expect(after.keyIdOf(newValue)).toBe('b');
    expect(after.needsRotation(newValue)).toBe(false);

    // Once key a is retired from the ring its values no longer decrypt: re-encrypt before retiring.
    const retired = new FieldCipher(keyRingFrom([`b:${keyB}`], 'b'));
    expect(() => retired.decrypt(oldValue)).toThrow(/key "a" is not in the key ring/);
    expect(retired.decrypt(newValue)).toBe('001099012345');
  });

  it('refuses a tampered value, a wrong context and a key id pointing at another key', () => {
    const cipher = new FieldCipher(keyRingFrom([`a:${keyA}`, `b:${keyB}`], 'a'));
    const stored = cipher.encrypt('0912345678', 'citizen.phone');
    const parts = stored.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    const tampered = [...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.');
    expect(() => cipher.decrypt(tampered, 'citizen.phone')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(stored, 'citizen.national_id')).toThrow(DecryptionError);
    const relabelled = ['v1', 'b', ...parts.slice(2)].join('.');
    expect(() => cipher.decrypt(relabelled, 'citizen.phone')).toThrow(DecryptionError);
    expect(() => cipher.decrypt('plain text', 'citizen.phone')).toThrow(/unknown format/);
  });

  it('refuses a key ring whose active key is missing or whose keys are not 32 bytes', () => {
    expect(() => keyRingFrom([`a:${keyA}`], 'b')).toThrow(/active PII key "b"/);
    expect(() => keyRingFrom(['a:c2hvcnQ='], 'a')).toThrow(/32 bytes/);
  });
});

describe('BlindIndex and Pseudonymizer', () => {
  const indexKey = randomBytes(32);
  const pseudonymKey = randomBytes(32);

  it('gives the same index for the same value however it was typed, different per column', () => {
    const index = new BlindIndex(indexKey);
    expect(index.compute(' 001099012345 ', 'national_id')).toBe(index.compute('001099012345', 'national_id'));
    expect(index.compute('001099012345', 'national_id')).not.toBe(index.compute('001099012345', 'phone'));
    expect(index.compute('001099012345', 'national_id')).not.toBe(
      new BlindIndex(randomBytes(32)).compute('001099012345', 'national_id'),
    );
  });

  it('pseudonymizes stably, without the value, and differently from the blind index', () => {
    const pseudonymizer = new Pseudonymizer(pseudonymKey);
    const pseudonym = pseudonymizer.pseudonymize('001099012345');
    expect(pseudonym).toMatch(PSEUDONYM_PATTERN);
    expect(pseudonymizer.pseudonymize('001099012345')).toBe(pseudonym);
    expect(pseudonym).not.toContain('012345');
    expect(new Pseudonymizer(indexKey).pseudonymize('001099012345')).not.toBe(pseudonym);
  });
});

describe('masking for display', () => {
  it('shows only the last 4 digits of a national id', () => {
    expect(maskNationalId('001099012345')).toBe('********2345');
    expect(maskNationalId('001 099 012 345')).toBe('********2345');
    expect(maskNationalId('123')).toBe('***');
  });

  it('masks phones, e-mails and names', () => {
    expect(maskPhone('0912 345 678')).toBe('*******678');
    expect(maskEmail('nguyenvana@example.vn')).toBe('n*********@example.vn');
    expect(maskName('Nguyễn Văn An')).toBe('N***** V** A*');
  });
});
