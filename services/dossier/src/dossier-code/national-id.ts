// Personal identification number (số định danh cá nhân, printed on the căn cước card): 12 digits.
// Structure (Decree 137/2015/NĐ-CP art. 13; Circular 07/2016/TT-BCA art. 7 and Annex I, as amended
// by Circular 59/2021/TT-BCA):
//   digits 1–3  province (or country) where the birth was registered — Annex I codes 001–096
//   digit  4    century of birth and sex: 1900s male 0 / female 1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 2300s 8/9
//   digits 5–6  last two digits of the year of birth
//   digits 7–12 random
// The 2025 merger of provinces did not renumber anyone: the 34 new provinces reuse codes from the
// same list (Decision 19/2025/QĐ-TTg), so the 63 historical codes stay valid.
// Not checked here: births registered abroad carry a country code (Annex II), which this validator
// rejects unless the caller allows unknown registration codes.

/** Annex I of Circular 07/2016/TT-BCA: birth-registration codes of the 63 provinces (pre-2025 names). */
export const BIRTH_REGISTRATION_PROVINCES: Readonly<Record<string, string>> = {
  '001': 'Hà Nội',
  '002': 'Hà Giang',
  '004': 'Cao Bằng',
  '006': 'Bắc Kạn',
  '008': 'Tuyên Quang',
  '010': 'Lào Cai',
  '011': 'Điện Biên',
  '012': 'Lai Châu',
  '014': 'Sơn La',
  '015': 'Yên Bái',
  '017': 'Hòa Bình',
  '019': 'Thái Nguyên',
  '020': 'Lạng Sơn',
  '022': 'Quảng Ninh',
  '024': 'Bắc Giang',
  '025': 'Phú Thọ',
  '026': 'Vĩnh Phúc',
  '027': 'Bắc Ninh',
  '030': 'Hải Dương',
  '031': 'Hải Phòng',
  '033': 'Hưng Yên',
  '034': 'Thái Bình',
  '035': 'Hà Nam',
  '036': 'Nam Định',
  '037': 'Ninh Bình',
  '038': 'Thanh Hóa',
  '040': 'Nghệ An',
  '042': 'Hà Tĩnh',
  '044': 'Quảng Bình',
  '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế',
  '048': 'Đà Nẵng',
  '049': 'Quảng Nam',
  '051': 'Quảng Ngãi',
  '052': 'Bình Định',
  '054': 'Phú Yên',
  '056': 'Khánh Hòa',
  '058': 'Ninh Thuận',
  '060': 'Bình Thuận',
  '062': 'Kon Tum',
  '064': 'Gia Lai',
  '066': 'Đắk Lắk',
  '067': 'Đắk Nông',
  '068': 'Lâm Đồng',
  '070': 'Bình Phước',
  '072': 'Tây Ninh',
  '074': 'Bình Dương',
  '075': 'Đồng Nai',
  '077': 'Bà Rịa - Vũng Tàu',
  '079': 'Hồ Chí Minh',
  '080': 'Long An',
  '082': 'Tiền Giang',
  '083': 'Bến Tre',
  '084': 'Trà Vinh',
  '086': 'Vĩnh Long',
  '087': 'Đồng Tháp',
  '089': 'An Giang',
  '091': 'Kiên Giang',
  '092': 'Cần Thơ',
  '093': 'Hậu Giang',
  '094': 'Sóc Trăng',
  '095': 'Bạc Liêu',
  '096': 'Cà Mau',
};

export interface NationalIdFacts {
  registrationCode: string;
  /** Undefined when the code is not in Annex I and the caller allowed unknown codes. */
  registrationProvince?: string;
  sex: 'male' | 'female';
  birthYear: number;
}

export type NationalIdCheck = { ok: true; value: NationalIdFacts } | { ok: false; reason: string };

export interface NationalIdOptions {
  /** Reject birth years after this instant's year (default: now). */
  now?: Date;
  /** Accept registration codes outside Annex I (births registered abroad). Default false. */
  allowUnknownRegistrationCode?: boolean;
}

export function checkNationalId(value: string, options: NationalIdOptions = {}): NationalIdCheck {
  if (!/^\d{12}$/.test(value)) return { ok: false, reason: 'a national ID is exactly 12 digits' };
  const registrationCode = value.slice(0, 3);
  const registrationProvince = BIRTH_REGISTRATION_PROVINCES[registrationCode];
  if (!registrationProvince && !options.allowUnknownRegistrationCode) {
    return { ok: false, reason: `unknown birth-registration province code ${registrationCode}` };
  }
  const centuryAndSex = Number(value[3]);
  const birthYear = 1900 + Math.floor(centuryAndSex / 2) * 100 + Number(value.slice(4, 6));
  const currentYear = (options.now ?? new Date()).getUTCFullYear();
  if (birthYear > currentYear) {
    return { ok: false, reason: `digits 4–6 give a birth year in the future (${birthYear})` };
  }
  return {
    ok: true,
    value: {
      registrationCode,
      ...(registrationProvince ? { registrationProvince } : {}),
      sex: centuryAndSex % 2 === 0 ? 'male' : 'female',
      birthYear,
    },
  };
}

export function isValidNationalId(value: string, options?: NationalIdOptions): boolean {
  return checkNationalId(value, options).ok;
}
