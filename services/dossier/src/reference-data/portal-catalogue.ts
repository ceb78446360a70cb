// The national public-service portal's catalogue layout (dichvucong.gov.vn, the national database of
// administrative procedures): Vietnamese column names and free-text values ("03 ngày làm việc",
// "Toàn trình", "Lệ phí: 8.000 đồng"), translated into this service's CSV columns so that a city can
// load its own list of commune-level procedures as the portal gives it. Pure; the parser
// (procedure-csv.ts) validates the translated row like any other. Format in README.md.

/** Lower case, NFC, one space: "Mã  thủ tục" and "MÃ THỦ TỤC" are the same column. */
export function normaliseHeader(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Portal column → this service's column. Other portal columns (STT, Cơ quan thực hiện …) are ignored. */
export const PORTAL_COLUMNS = {
  'mã thủ tục': 'code',
  'tên thủ tục': 'name',
  'lĩnh vực': 'field',
  'cấp thực hiện': 'level',
  'thời hạn giải quyết': 'time',
  'mức độ': 'online_level',
  'dịch vụ công trực tuyến': 'online_level',
  'phí, lệ phí': 'fee_vnd',
  'lệ phí': 'fee_vnd',
  // This service's columns may be added to a portal file for what the portal does not say.
  requires_signature: 'requires_signature',
  code_verified: 'code_verified',
} as const;
type PortalTarget = (typeof PORTAL_COLUMNS)[keyof typeof PORTAL_COLUMNS];
const REQUIRED_PORTAL_COLUMNS = [
  'mã thủ tục',
  'tên thủ tục',
  'lĩnh vực',
  'cấp thực hiện',
  'thời hạn giải quyết',
] as const;

/** A header is the portal's when it names the procedure code the portal's way. */
export function isPortalHeader(header: readonly string[]): boolean {
  return header.map(normaliseHeader).includes('mã thủ tục');
}

/** Missing portal columns, and the columns that would set the same value twice. */
export function portalHeaderProblems(header: readonly string[]): { column: string; reason: string }[] {
  const names = header.map(normaliseHeader);
  const problems: { column: string; reason: string }[] = REQUIRED_PORTAL_COLUMNS.filter(
    (c) => !names.includes(c),
  ).map((column) => ({
    column,
    reason: 'missing column',
  }));
  const seen = new Map<PortalTarget, string>();
  for (const name of names) {
    const target = PORTAL_COLUMNS[name as keyof typeof PORTAL_COLUMNS];
    if (!target) continue;
    const earlier = seen.get(target);
    if (earlier) problems.push({ column: name, reason: `says the same as column "${earlier}"` });
    else seen.set(target, name);
  }
  return problems;
}

/** What one portal row says, in this service's columns, or the problems with its columns (portal names). */
export type PortalRow =
  | { ok: true; values: Record<string, string> }
  | { ok: false; problems: { column: string; reason: string }[] };

/** Free text without tone-mark variants: "Toàn trình" / "toàn trình" / "TOÀN TRÌNH". */
const plain = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

/** "Cấp Xã" → commune, "Cấp Tỉnh" → city; a procedure done at both is a commune one for the wards. */
export function portalLevel(text: string): 'commune' | 'city' | undefined {
  const value = plain(text);
  if (/(^|\P{L})(xã|phường)(\P{L}|$)/u.test(value)) return 'commune';
  if (/(^|\P{L})tỉnh(\P{L}|$)|thành phố trực thuộc trung ương/u.test(value)) return 'city';
  return undefined;
}

/**
 * "Trong ngày" / "ngay trong ngày làm việc" → same day; "03 ngày làm việc", "0,5 ngày làm việc",
 * "05 ngày làm việc kể từ …" → working days; "8 giờ làm việc" → working hours. The first figure
 * counts (the portal sometimes adds cases after it).
 */
export function portalTime(text: string): { unit: string; value: string } | undefined {
  const value = plain(text);
  const figure = /(\d+(?:[.,]\d+)?)\s*(ngày|giờ)/.exec(value);
  const sameDay = value.indexOf('trong ngày');
  if (sameDay >= 0 && (!figure || sameDay < figure.index)) return { unit: 'same-day', value: '' };
  if (figure) {
    const amount = String(Number(figure[1]!.replace(',', '.')));
    return figure[2] === 'giờ'
      ? { unit: 'working-hours', value: amount }
      : { unit: 'working-days', value: amount };
  }
  return undefined;
}

/** "Toàn trình" → full, "Một phần" → partial; the older "Mức độ 4/3" likewise; anything else none. */
export function portalOnlineLevel(text: string): 'full' | 'partial' | 'none' {
  const value = plain(text);
  if (/toàn trình|mức độ 4|^4$/.test(value)) return 'full';
  if (/một phần|mức độ 3|^3$/.test(value)) return 'partial';
  return 'none';
}

/**
 * The first amount in đồng ("Lệ phí: 8.000 đồng/bản" → 8000; dots and commas group thousands);
 * "Không", "Miễn phí" or empty → 0; text with no amount is refused rather than guessed.
 */
export function portalFee(text: string): number | undefined {
  const value = plain(text);
  if (value === '' || value === '0' || /^(không|miễn)/.test(value)) return 0;
  const amount = /(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(đồng|vnđ|vnd|đ(?!\p{L}))/u.exec(value);
  if (amount) return Number(amount[1]!.replace(/[.,]/g, ''));
  return undefined;
}

/** Translates one portal row (values by the header's names) into this service's columns. */
export function translatePortalRow(header: readonly string[], record: readonly string[]): PortalRow {
  const byTarget = new Map<PortalTarget, { column: string; value: string }>();
  header.map(normaliseHeader).forEach((name, i) => {
    const target = PORTAL_COLUMNS[name as keyof typeof PORTAL_COLUMNS];
    if (target) byTarget.set(target, { column: name, value: record[i] ?? '' });
  });
  const get = (target: PortalTarget) => byTarget.get(target);
  const problems: { column: string; reason: string }[] = [];
  const level = portalLevel(get('level')!.value);
  if (!level) problems.push({ column: 'cấp thực hiện', reason: 'names neither Cấp Xã nor Cấp Tỉnh' });
  const time = portalTime(get('time')!.value);
  if (!time)
    problems.push({
      column: 'thời hạn giải quyết',
      reason: 'no time recognised (e.g. "03 ngày làm việc", "8 giờ làm việc", "Trong ngày")',
    });
  const feeColumn = get('fee_vnd');
  const fee = feeColumn ? portalFee(feeColumn.value) : 0;
  if (fee === undefined)
    problems.push({ column: feeColumn!.column, reason: 'no amount in đồng recognised (e.g. "50.000 đồng")' });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    values: {
      code: get('code')!.value,
      name: get('name')!.value,
      field: get('field')!.value,
      level: level!,
      time_unit: time!.unit,
      time_value: time!.value,
      online_level: portalOnlineLevel(get('online_level')?.value ?? ''),
      fee_vnd: String(fee),
      // The portal does not say whether the result is signed: false unless the file adds the column.
      requires_signature: get('requires_signature')?.value ?? 'false',
      code_verified: get('code_verified')?.value ?? 'true',
    },
  };
}
