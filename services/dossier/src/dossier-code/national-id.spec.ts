import { BIRTH_REGISTRATION_PROVINCES, checkNationalId, isValidNationalId } from './national-id';

const now = new Date('2026-06-01T00:00:00Z');

describe('national ID (số định danh cá nhân)', () => {
  it('decodes province, century/sex and birth year', () => {
    expect(checkNationalId('001090123456', { now })).toEqual({
      ok: true,
      value: { registrationCode: '001', registrationProvince: 'Hà Nội', sex: 'male', birthYear: 1990 },
    });
    expect(checkNationalId('079185000001', { now })).toMatchObject({
      ok: true,
      value: { registrationProvince: 'Hồ Chí Minh', sex: 'female', birthYear: 1985 },
    });
    expect(checkNationalId('031205999999', { now })).toMatchObject({
      ok: true,
      value: { sex: 'male', birthYear: 2005 },
    });
    expect(checkNationalId('096326000000', { now })).toMatchObject({
      ok: true,
      value: { registrationProvince: 'Cà Mau', sex: 'female', birthYear: 2026 },
    });
  });

  it('knows the 63 Annex I codes between 001 and 096', () => {
    const codes = Object.keys(BIRTH_REGISTRATION_PROVINCES);
    expect(codes).toHaveLength(63);
    expect(codes.every((c) => /^0\d\d$/.test(c) && Number(c) >= 1 && Number(c) <= 96)).toBe(true);
  });

  it.each([
    ['00109012345', 'eleven digits'],
    ['0010901234567', 'thirteen digits'],
    ['00109012345a', 'a letter'],
    ['001 090123456', 'a space'],
    ['003090123456', 'unused province code 003'],
    ['097090123456', 'code above 096'],
    ['000090123456', 'code 000'],
    ['001227123456', 'born 2027, in the future'],
    ['001490123456', 'born 2190'],
  ])('rejects %s (%s)', (id) => {
    expect(isValidNationalId(id, { now })).toBe(false);
  });

  it('can accept a birth registered abroad (country code) when the caller allows it', () => {
    expect(checkNationalId('704090123456', { now }).ok).toBe(false);
    expect(checkNationalId('704090123456', { now, allowUnknownRegistrationCode: true })).toEqual({
      ok: true,
      value: { registrationCode: '704', sex: 'male', birthYear: 1990 },
    });
  });

  it('explains why an ID is invalid', () => {
    expect(checkNationalId('12345')).toEqual({ ok: false, reason: 'a national ID is exactly 12 digits' });
    expect(checkNationalId('003090123456')).toEqual({
      ok: false,
      reason: 'unknown birth-registration province code 003',
    });
  });
});
