/**
 * Vietnamese text made comparable: tone marks and other diacritics removed (NFD, combining marks
 * dropped, đ → d), lower case, punctuation as spaces, whitespace collapsed. "Phường Hoà Bình",
 * "phuong hoa binh" and "PHƯỜNG HÒA BÌNH" (either tone placement) all give "phuong hoa binh".
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Administrative prefixes, folded, longest first; the kind of unit each one names. */
const PREFIXES: readonly { words: string; kind: UnitKindHint }[] = [
  { words: 'thanh pho', kind: 'city' },
  { words: 'thi tran', kind: 'commune' },
  { words: 'thi xa', kind: 'district' },
  { words: 'phuong', kind: 'ward' },
  { words: 'quan', kind: 'district' },
  { words: 'huyen', kind: 'district' },
  { words: 'tinh', kind: 'province' },
  { words: 'xa', kind: 'commune' },
  { words: 'tp', kind: 'city' },
  { words: 'p', kind: 'ward' },
  { words: 'x', kind: 'commune' },
  { words: 'q', kind: 'district' },
  { words: 'h', kind: 'district' },
  { words: 'tt', kind: 'commune' },
];

export type UnitKindHint = 'ward' | 'commune' | 'district' | 'city' | 'province' | 'none';

/**
 * One comma-separated part of an address, folded, with its administrative prefix split off:
 * "P. Hàng Bạc" → { kind: 'ward', name: 'hang bac' }; "Số 5 Hàng Bạc" → { kind: 'none', … }.
 * "P.Hàng Bạc" (no space after the dot) is read the same.
 */
export function splitAdministrativePart(part: string): { kind: UnitKindHint; name: string } {
  const folded = foldVietnamese(part);
  for (const prefix of PREFIXES) {
    if (folded.startsWith(`${prefix.words} `)) {
      return { kind: prefix.kind, name: folded.slice(prefix.words.length + 1).trim() };
    }
  }
  return { kind: 'none', name: folded };
}

/** The address with each part folded and its prefix dropped, joined: what duplicates are compared by. */
export function normaliseAddress(address: string): string {
  return address
    .split(/[,;\n]/)
    .map((part) => splitAdministrativePart(part))
    .filter((part) => part.name !== '' && part.kind !== 'city' && part.name !== 'ha noi')
    .map((part) => part.name)
    .join(', ');
}
