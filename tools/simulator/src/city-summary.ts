import { hanoiDaysEndingAt } from '@backbone/calendar';
import { ApiClient, RequestStats } from './api-client';

/** The subset of the reporting API's answers the demo reads. */
export interface FifteenDayReport {
  dossiersReceived: number;
  shareOnline: number | null;
  proceduresInUse: number;
  hotlineCalls: number;
  appReports: number;
  newAppAccounts: number;
  partyMembersRegistered: number;
  partyFeeTransactions: number;
}
export interface Freshness {
  completeUpTo: string | null;
  consumerLag: { messages: number | null; measuredAt: string | null };
}
export interface DossierFigures {
  received: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  returned: number;
  withdrawn: number;
  refusedAtIntake: number;
  supplementsRequested: number;
  inProgressNow: number;
  overdueNow: number;
  feesPaidVnd: number;
}
export interface CityFigures {
  dossiers: DossierFigures;
  /** Signing service's saga outcomes (signing.events.v1), when reporting has folded any. */
  signatures?: { completed: number; rejected: number; timedOut: number };
  indicators: { onTimeRate: number | null; onlineRate: number | null; digitisationRate: number | null };
}
export interface Period {
  from: string;
  to: string;
}

/** The city's report window ending today: 15 Hanoi days, today included. */
export function fifteenDayPeriod(now: Date): Period {
  return hanoiDaysEndingAt(now, 15);
}

export class ReportingReader {
  private readonly client: ApiClient;

  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.client = new ApiClient(baseUrl, new RequestStats(), { maxAttempts: 4 });
  }

  async isUp(): Promise<boolean> {
    try {
      const response = await fetch(`${this.client.baseUrl}/health/live`);
      return response.ok;
    } catch {
      return false;
    }
  }

  async summary(period: Period): Promise<{ figures: CityFigures; freshness: Freshness }> {
    const { body } = await this.client.request<{ figures: CityFigures; freshness: Freshness }>(
      'GET',
      `/reports/city/summary?from=${period.from}&to=${period.to}`,
      this.token,
    );
    return body;
  }

  async fifteenDay(period: Period): Promise<{ report: FifteenDayReport; freshness: Freshness }> {
    const { body } = await this.client.request<{ report: FifteenDayReport; freshness: Freshness }>(
      'GET',
      `/reports/city/fifteen-day?from=${period.from}&to=${period.to}`,
      this.token,
    );
    return body;
  }

  /**
   * Polls until the reporting service has consumed what the demo caused: its counts reached the
   * baseline plus the demo's own, the consumer lag is zero, and the figures are complete up to the
   * end of the demo. Bounded: after `timeoutMs` the caller prints what there is, marked as partial.
   */
  async waitUntilConsumed(
    period: Period,
    expected: { received: number; resolved: number; returned: number },
    finishedAt: Date,
    timeoutMs: number,
  ): Promise<{ consumed: boolean; waitedMs: number; last: { figures: CityFigures; freshness: Freshness } }> {
    const started = Date.now();
    for (;;) {
      const last = await this.summary(period);
      const d = last.figures.dossiers;
      const consumed =
        d.received >= expected.received &&
        d.resolved >= expected.resolved &&
        d.returned >= expected.returned &&
        last.freshness.consumerLag.messages === 0 &&
        last.freshness.completeUpTo !== null &&
        Date.parse(last.freshness.completeUpTo) >= finishedAt.getTime();
      const waitedMs = Date.now() - started;
      if (consumed || waitedMs >= timeoutMs) return { consumed, waitedMs, last };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

const integer = (value: number) => value.toLocaleString('en-US');

/** The signing outcomes (issue 13): completed signatures of results, and the others. */
function signatureRows(figures: CityFigures): [string, string, string][] {
  const s = figures.signatures;
  if (!s) return [];
  return [
    [
      'Signatures completed',
      integer(s.completed),
      `  rejected ${integer(s.rejected)}, timed out ${integer(s.timedOut)}${s.completed === 0 ? '   (no signing events yet)' : ''}`,
    ],
  ];
}
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);

/** The city summary as a table shaped like the city's 15-day report, then the dossier detail. */
export function formatCitySummary(
  period: Period,
  report: FifteenDayReport,
  figures: CityFigures,
  freshness: Freshness,
): string {
  const none = (value: number, source: string) => (value === 0 ? `   (no ${source} events yet)` : '');
  const rows: [string, string, string][] = [
    ['Dossiers received', integer(report.dossiersReceived), ''],
    ['Share online', percent(report.shareOnline), ''],
    ['Procedures in use', integer(report.proceduresInUse), ''],
    ['Hotline 1022 calls', integer(report.hotlineCalls), none(report.hotlineCalls, 'hotline')],
    ['iHanoi app reports', integer(report.appReports), none(report.appReports, 'hotline')],
    ['New app accounts', integer(report.newAppAccounts), none(report.newAppAccounts, 'hotline')],
    [
      'Party members registered',
      integer(report.partyMembersRegistered),
      none(report.partyMembersRegistered, 'party-fee'),
    ],
    [
      'Party-fee transactions',
      integer(report.partyFeeTransactions),
      none(report.partyFeeTransactions, 'party-fee'),
    ],
  ];
  const d = figures.dossiers;
  const detail: [string, string, string][] = [
    [
      'Resolved',
      integer(d.resolved),
      `  on time ${integer(d.resolvedOnTime)}, late ${integer(d.resolvedLate)}`,
    ],
    ['On-time rate (Decision 766)', percent(figures.indicators.onTimeRate), ''],
    ['Digitisation rate', percent(figures.indicators.digitisationRate), ''],
    ['Results returned', integer(d.returned), ''],
    ['Supplements requested', integer(d.supplementsRequested), ''],
    ['Refused at intake / withdrawn', `${integer(d.refusedAtIntake)} / ${integer(d.withdrawn)}`, ''],
    ['In progress now / overdue now', `${integer(d.inProgressNow)} / ${integer(d.overdueNow)}`, ''],
    ['Fees paid', `${integer(d.feesPaidVnd)} VND`, ''],
    ...signatureRows(figures),
  ];
  const width = Math.max(...[...rows, ...detail].map(([label]) => label.length));
  const valueWidth = Math.max(...[...rows, ...detail].map(([, value]) => value.length));
  const line = ([label, value, note]: [string, string, string]) =>
    `  ${label.padEnd(width)}  ${value.padStart(valueWidth)}${note}`;
  const rule = `  ${'-'.repeat(width + valueWidth + 2)}`;
  return [
    `City summary, ${period.from} – ${period.to} (Hanoi days; the shape of the city's 15-day report)`,
    `  complete up to ${freshness.completeUpTo ?? 'unknown'}, consumer lag ${freshness.consumerLag.messages ?? 'unknown'}`,
    rule,
    ...rows.map(line),
    rule,
    ...detail.map(line),
    rule,
  ].join('\n');
}
