/**
 * What the dashboard shows, as data: every figure it can draw, where it sits in the reporting API's
 * `figures` object, how it is formatted and what it is called in Vietnamese and English. The
 * dashboard (web/) renders tiles, table columns, charts and the overdue view from this list and
 * knows no figure by name, so a new producer's figures appear once they are listed here next to
 * the fold that computes them (src/queries/figures.ts).
 */
export type FigureFormat = 'count' | 'percent' | 'vnd' | 'minutes';

export interface FigureDescriptor {
  /** Stable id (the test and the URL use it). */
  key: string;
  /** Dotted path into the API's `figures` object, e.g. `dossiers.received`. */
  path: string;
  format: FigureFormat;
  /** The service whose events the figure comes from. */
  source: string;
  label: { vi: string; en: string };
  /** A city tile (the 15-day report's lines and the Decision 766 rates). */
  tile: boolean;
  /** A column of the units table. */
  column: boolean;
  /** Drawn as a daily series. */
  series: boolean;
  /** Counts what is overdue now (the overdue view). */
  overdue: boolean;
}

type Flags = Partial<Pick<FigureDescriptor, 'tile' | 'column' | 'series' | 'overdue'>>;

function figure(
  key: string,
  path: string,
  format: FigureFormat,
  source: string,
  vi: string,
  en: string,
  flags: Flags,
): FigureDescriptor {
  return {
    key,
    path,
    format,
    source,
    label: { vi, en },
    tile: flags.tile ?? false,
    column: flags.column ?? false,
    series: flags.series ?? false,
    overdue: flags.overdue ?? false,
  };
}

export const FIGURE_CATALOGUE: readonly FigureDescriptor[] = [
  // The city's 15-day report.
  figure(
    'dossiersReceived',
    'dossiers.received',
    'count',
    'dossier',
    'Hồ sơ tiếp nhận',
    'Dossiers received',
    {
      tile: true,
      column: true,
      series: true,
    },
  ),
  figure(
    'shareOnline',
    'dossiers.onlineShare',
    'percent',
    'dossier',
    'Tỷ lệ hồ sơ trực tuyến',
    'Share online',
    {
      tile: true,
      column: true,
    },
  ),
  figure(
    'proceduresInUse',
    'dossiers.proceduresInUse',
    'count',
    'dossier',
    'Thủ tục đang sử dụng',
    'Procedures in use',
    {
      tile: true,
      column: true,
    },
  ),
  figure('hotlineCalls', 'hotline.calls', 'count', 'hotline', 'Cuộc gọi 1022', 'Hotline calls', {
    tile: true,
    column: true,
    series: true,
  }),
  figure('appReports', 'hotline.appReports', 'count', 'hotline', 'Phản ánh qua iHanoi', 'App reports', {
    tile: true,
    column: true,
    series: true,
  }),
  figure(
    'newAppAccounts',
    'appAccountsRegistered',
    'count',
    'hotline',
    'Tài khoản iHanoi mới',
    'New app accounts',
    {
      tile: true,
      series: true,
    },
  ),
  figure(
    'membersRegistered',
    'partyFees.membersRegistered',
    'count',
    'party-fee',
    'Đảng viên đăng ký',
    'Members registered',
    { tile: true, column: true, series: true },
  ),
  figure(
    'feeTransactions',
    'partyFees.transactions',
    'count',
    'party-fee',
    'Giao dịch đảng phí',
    'Fee transactions',
    { tile: true, column: true, series: true },
  ),
  // Decision 766/QĐ-TTg.
  figure(
    'onTimeRate',
    'indicators.onTimeRate',
    'percent',
    'dossier',
    'Tỷ lệ giải quyết đúng hạn',
    'On-time rate',
    {
      tile: true,
      column: true,
    },
  ),
  figure(
    'onlineRate',
    'indicators.onlineRate',
    'percent',
    'dossier',
    'Tỷ lệ trực tuyến (QĐ 766)',
    'Online rate',
    {
      tile: true,
      column: true,
    },
  ),
  figure(
    'digitisationRate',
    'indicators.digitisationRate',
    'percent',
    'dossier',
    'Tỷ lệ số hoá hồ sơ',
    'Digitisation rate',
    { tile: true, column: true },
  ),
  // Now, and the rest of the table.
  figure(
    'overdueNow',
    'dossiers.overdueNow',
    'count',
    'dossier',
    'Hồ sơ quá hạn hiện nay',
    'Dossiers overdue now',
    {
      column: true,
      overdue: true,
    },
  ),
  figure(
    'inProgressNow',
    'dossiers.inProgressNow',
    'count',
    'dossier',
    'Hồ sơ đang xử lý',
    'Dossiers in progress',
    {
      column: true,
    },
  ),
  figure(
    'reportsOverdue',
    'hotline.reportsByStatus.overdue',
    'count',
    'hotline',
    'Phản ánh quá hạn',
    'Reports overdue',
    { column: true, overdue: true },
  ),
  figure('resolved', 'dossiers.resolved', 'count', 'dossier', 'Hồ sơ đã giải quyết', 'Dossiers resolved', {
    series: true,
  }),
  figure(
    'signaturesCompleted',
    'signatures.completed',
    'count',
    'signing',
    'Chữ ký số hoàn tất',
    'Signatures completed',
    { series: true },
  ),
  figure(
    'feesCollectedVnd',
    'partyFees.collectedVnd',
    'vnd',
    'party-fee',
    'Đảng phí thu được',
    'Party fees collected',
    {
      series: true,
    },
  ),
];

/** The value at a dotted path of a figures object, or null when it is absent or not a number. */
export function figureValue(figures: unknown, path: string): number | null {
  let value: unknown = figures;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' ? value : null;
}
