import { crc16CcittFalse, crcHex } from './crc16';
import { buildVietQrPayload, hasValidCrc, readEmvFields } from './vietqr-payload';

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crcHex('123456789')).toBe('29B1');
  });
});

describe('VietQR payload (EMVCo merchant-presented, NAPAS profile)', () => {
  const input = {
    bankBin: '970436',
    accountNumber: '0011004567890',
    amountVnd: 85_000,
    reference: 'PFABCDEFGHJKLMN234',
  };

  it('carries the account, the amount and the reference, ending in a valid CRC', () => {
    const payload = buildVietQrPayload(input);
    expect(hasValidCrc(payload)).toBe(true);
    const top = readEmvFields(payload);
    expect(top.get('00')).toBe('01');
    expect(top.get('01')).toBe('12');
    expect(top.get('53')).toBe('704');
    expect(top.get('54')).toBe('85000');
    expect(top.get('58')).toBe('VN');
    const merchant = readEmvFields(top.get('38')!);
    expect(merchant.get('00')).toBe('A000000727');
    expect(merchant.get('02')).toBe('QRIBFTTA');
    const beneficiary = readEmvFields(merchant.get('01')!);
    expect(beneficiary.get('00')).toBe('970436');
    expect(beneficiary.get('01')).toBe('0011004567890');
    expect(readEmvFields(top.get('62')!).get('08')).toBe('PFABCDEFGHJKLMN234');
  });

  it('detects a changed character through the CRC', () => {
    const payload = buildVietQrPayload(input);
    const tampered = payload.replace('85000', '95000');
    expect(hasValidCrc(tampered)).toBe(false);
  });

  it('refuses what a bank would not accept', () => {
    expect(() => buildVietQrPayload({ ...input, bankBin: '97043' })).toThrow(RangeError);
    expect(() => buildVietQrPayload({ ...input, amountVnd: 0 })).toThrow(RangeError);
    expect(() => buildVietQrPayload({ ...input, amountVnd: 1.5 })).toThrow(RangeError);
    expect(() => buildVietQrPayload({ ...input, reference: 'lower case' })).toThrow(RangeError);
    expect(() => buildVietQrPayload({ ...input, accountNumber: '0011-0045' })).toThrow(RangeError);
  });
});
