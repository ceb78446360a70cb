/** The dashboard's own words in Vietnamese (default) and English; figure names come from the API's catalogue. */
export type Language = 'vi' | 'en';

const WORDS = {
  title: { vi: 'Bảng điều hành thành phố Hà Nội', en: 'Hanoi city dashboard' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  signInPrompt: {
    vi: 'Đăng nhập bằng tài khoản của thành phố để xem số liệu.',
    en: 'Sign in with your city account to see the figures.',
  },
  signingIn: { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  signInFailed: { vi: 'Đăng nhập không thành công. Hãy thử lại.', en: 'Sign-in failed. Please try again.' },
  language: { vi: 'English', en: 'Tiếng Việt' },
  languageLabel: { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  navCity: { vi: 'Thành phố', en: 'City' },
  navHome: { vi: 'Đơn vị của tôi', en: 'My unit' },
  navUnits: { vi: 'Các đơn vị', en: 'Units' },
  navOverdue: { vi: 'Quá hạn', en: 'Overdue' },
  navPipeline: { vi: 'Vận hành', en: 'Pipeline' },
  mainNav: { vi: 'Điều hướng chính', en: 'Main navigation' },
  period: { vi: 'Kỳ báo cáo', en: 'Period' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  apply: { vi: 'Áp dụng', en: 'Apply' },
  last15: { vi: '15 ngày qua', en: 'Last 15 days' },
  last30: { vi: '30 ngày qua', en: 'Last 30 days' },
  freshness: { vi: 'Số liệu đầy đủ đến {time}, độ trễ {lag}', en: 'Complete up to {time}, lag {lag}' },
  freshnessUnknown: { vi: 'chưa có', en: 'not yet known' },
  cityFigures: { vi: 'Số liệu toàn thành phố', en: 'City figures' },
  unitFigures: { vi: 'Số liệu của đơn vị', en: 'Unit figures' },
  dailySeries: { vi: 'Diễn biến theo ngày', en: 'Daily series' },
  seriesTooLong: {
    vi: 'Kỳ quá dài để vẽ theo ngày (tối đa 366 ngày).',
    en: 'The period is too long for daily charts (366 days at most).',
  },
  units: { vi: 'Các xã, phường', en: 'Communes and wards' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  code: { vi: 'Mã', en: 'Code' },
  search: { vi: 'Tìm theo tên (không cần dấu)', en: 'Search by name (tone marks optional)' },
  filter: { vi: 'Loại đơn vị', en: 'Unit type' },
  all: { vi: 'Tất cả', en: 'All' },
  wards: { vi: 'Phường', en: 'Wards' },
  communes: { vi: 'Xã', en: 'Communes' },
  shown: { vi: '{n} đơn vị', en: '{n} units' },
  sortBy: { vi: 'Sắp xếp theo {column}', en: 'Sort by {column}' },
  back: { vi: '← Các đơn vị', en: '← Units' },
  overdueTitle: { vi: 'Hồ sơ và phản ánh quá hạn', en: 'Overdue dossiers and reports' },
  overdueByUnit: { vi: 'Theo đơn vị', en: 'By unit' },
  overdueDossiers: { vi: 'Hồ sơ quá hạn (quá hạn lâu nhất trước)', en: 'Overdue dossiers (longest first)' },
  dossier: { vi: 'Hồ sơ', en: 'Dossier' },
  procedure: { vi: 'Thủ tục', en: 'Procedure' },
  status: { vi: 'Trạng thái', en: 'Status' },
  dueAt: { vi: 'Hạn xử lý', en: 'Due' },
  hoursOverdue: { vi: 'Số giờ quá hạn', en: 'Hours overdue' },
  nothingOverdue: { vi: 'Không có hồ sơ quá hạn.', en: 'Nothing is overdue.' },
  pipelineTitle: { vi: 'Tình trạng luồng dữ liệu', en: 'Pipeline health' },
  broker: { vi: 'Máy chủ Kafka', en: 'Kafka broker' },
  up: { vi: 'hoạt động', en: 'up' },
  down: { vi: 'không hoạt động', en: 'down' },
  unknown: { vi: 'không rõ', en: 'unknown' },
  services: { vi: 'Dịch vụ', en: 'Services' },
  service: { vi: 'Dịch vụ', en: 'Service' },
  ready: { vi: 'Sẵn sàng', en: 'Ready' },
  database: { vi: 'Cơ sở dữ liệu', en: 'Database' },
  outboxBacklog: { vi: 'Outbox tồn', en: 'Outbox backlog' },
  outboxOldest: { vi: 'Tin cũ nhất (giây)', en: 'Oldest (s)' },
  consumerLag: { vi: 'Độ trễ tiêu thụ', en: 'Consumer lag' },
  group: { vi: 'Nhóm', en: 'Group' },
  topic: { vi: 'Chủ đề', en: 'Topic' },
  partition: { vi: 'Phân vùng', en: 'Partition' },
  lag: { vi: 'Độ trễ', en: 'Lag' },
  deadLetters: { vi: 'Thư lỗi (dead letters)', en: 'Dead letters' },
  count: { vi: 'Số lượng', en: 'Count' },
  show: { vi: 'Xem', en: 'Show' },
  replay: { vi: 'Phát lại', en: 'Replay' },
  replayOnlyAdmin: { vi: 'Chỉ quản trị thành phố được phát lại.', en: 'Only the city admin may replay.' },
  replayed: { vi: 'Đã phát lại: {outcome}', en: 'Replayed: {outcome}' },
  offset: { vi: 'Vị trí', en: 'Offset' },
  eventType: { vi: 'Loại sự kiện', en: 'Event type' },
  reason: { vi: 'Lý do', en: 'Reason' },
  failedAt: { vi: 'Thời điểm lỗi', en: 'Failed at' },
  rebuilds: { vi: 'Các lần dựng lại số liệu', en: 'Projection rebuilds' },
  generation: { vi: 'Thế hệ', en: 'Generation' },
  createdAt: { vi: 'Bắt đầu', en: 'Started' },
  switchedAt: { vi: 'Chuyển sang', en: 'Switched' },
  eventsApplied: { vi: 'Sự kiện', en: 'Events' },
  current: { vi: '(đang dùng)', en: '(current)' },
  problems: { vi: 'Vấn đề', en: 'Problems' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  error: { vi: 'Không tải được số liệu: {message}', en: 'Could not load the figures: {message}' },
  notAvailable: { vi: '—', en: '—' },
  signedInAs: { vi: 'Đăng nhập: {name}', en: 'Signed in: {name}' },
  source: { vi: 'Nguồn: {source}', en: 'Source: {source}' },
} as const;

export type WordKey = keyof typeof WORDS;

export function word(language: Language, key: WordKey, values: Record<string, string | number> = {}): string {
  let text: string = WORDS[key][language];
  for (const [name, value] of Object.entries(values)) text = text.replace(`{${name}}`, String(value));
  return text;
}

/** Lower case without tone marks or other diacritics, and đ as d: "Hoàn Kiếm" → "hoan kiem". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

const COUNT = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const PERCENT = new Intl.NumberFormat('vi-VN', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const VND = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** Numbers in the Vietnamese format whatever the language (1.234.567; 14,2 %; 30.000 ₫). */
export function formatFigure(value: number | null, format: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  switch (format) {
    case 'percent':
      return PERCENT.format(value);
    case 'vnd':
      return VND.format(value);
    case 'minutes':
      return DECIMAL.format(value);
    default:
      return COUNT.format(value);
  }
}

export function formatTime(iso: string | null, language: Language): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(iso));
}
