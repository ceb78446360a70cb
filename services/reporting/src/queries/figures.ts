import { LATE, METRICS, ON_TIME, OUTSIDE_SLA, WITHIN_SLA } from '../projections/metrics';
import { percentileFromHistogram } from '../projections/resolution-time-histogram';

/** A summed counter of the period, over whatever units were asked for (dims kept for slicing). */
export interface CounterRow {
  metric: string;
  dim1: string;
  dim2: string;
  dim3: string;
  value: number;
}

/** "Now" figures from the per-dossier state table (not tied to the period). */
export interface DossierNow {
  inProgress: number;
  overdue: number;
}

export interface Figures {
  dossiers: {
    received: number;
    receivedByChannel: Record<string, number>;
    receivedByOnlineLevel: Record<string, number>;
    submittedOnline: number;
    refusedAtIntake: number;
    resolved: number;
    resolvedOnTime: number;
    resolvedLate: number;
    returned: number;
    withdrawn: number;
    stopped: number;
    overdueEvents: number;
    supplementsRequested: number;
    digitised: number;
    inProgressNow: number;
    overdueNow: number;
    averageWorkingMinutesToResolve: number | null;
    p90WorkingMinutesToResolve: number | null;
    onlineShare: number | null;
    proceduresInUse: number;
    feesPaidVnd: number;
  };
  /** Decision 766/QĐ-TTg indicators the events allow. */
  indicators: { onTimeRate: number | null; onlineRate: number | null; digitisationRate: number | null };
  signatures: { completed: number; rejected: number; timedOut: number };
  hotline: {
    calls: number;
    reports: number;
    appReports: number;
    reportsByChannel: Record<string, number>;
    reportsByCategory: Record<string, number>;
    reportsByLevel: Record<string, number>;
    reportsByStatus: Record<string, number>;
    acceptedWithinSla: number;
    acceptedOutsideSla: number;
    answeredWithinSla: number;
    answeredOutsideSla: number;
    slaComplianceRate: number | null;
  };
  appAccountsRegistered: number;
  partyFees: {
    membersRegistered: number;
    payments: number;
    reversals: number;
    /** Payments minus reversals. */
    transactions: number;
    collectedVnd: number;
  };
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

function bump(record: Record<string, number>, key: string, value: number) {
  record[key] = (record[key] ?? 0) + value;
}

/** Turns summed counters (any set of units) and "now" counts into the report's figures. */
export function figuresFrom(rows: readonly CounterRow[], now: DossierNow): Figures {
  const total = new Map<string, number>();
  const histogram = new Map<number, number>();
  const receivedByChannel: Record<string, number> = {};
  const receivedByOnlineLevel: Record<string, number> = {};
  const reportsByChannel: Record<string, number> = {};
  const reportsByCategory: Record<string, number> = {};
  const reportsByLevel: Record<string, number> = {};
  const procedures = new Set<string>();
  let resolvedOnTime = 0;
  let resolvedLate = 0;
  let offeredOnline = 0;
  let appReports = 0;
  const sla = { acceptedWithin: 0, acceptedOutside: 0, answeredWithin: 0, answeredOutside: 0 };

  for (const row of rows) {
    total.set(row.metric, (total.get(row.metric) ?? 0) + row.value);
    switch (row.metric) {
      case METRICS.dossierReceived.name:
        bump(receivedByChannel, row.dim1, row.value);
        bump(receivedByOnlineLevel, row.dim2, row.value);
        if (row.dim2 === 'full' || row.dim2 === 'partial') offeredOnline += row.value;
        if (row.value > 0) procedures.add(row.dim3);
        break;
      case METRICS.dossierResolved.name:
        if (row.dim2 === ON_TIME) resolvedOnTime += row.value;
        if (row.dim2 === LATE) resolvedLate += row.value;
        break;
      case METRICS.dossierResolveMinutesBucket.name:
        histogram.set(Number(row.dim1), (histogram.get(Number(row.dim1)) ?? 0) + row.value);
        break;
      case METRICS.reportSubmitted.name:
        bump(reportsByChannel, row.dim1, row.value);
        bump(reportsByCategory, row.dim2, row.value);
        bump(reportsByLevel, row.dim3, row.value);
        if (row.dim1 === 'ihanoi') appReports += row.value;
        break;
      case METRICS.reportAccepted.name:
        if (row.dim1 === WITHIN_SLA) sla.acceptedWithin += row.value;
        if (row.dim1 === OUTSIDE_SLA) sla.acceptedOutside += row.value;
        break;
      case METRICS.reportAnswered.name:
        if (row.dim1 === WITHIN_SLA) sla.answeredWithin += row.value;
        if (row.dim1 === OUTSIDE_SLA) sla.answeredOutside += row.value;
        break;
    }
  }
  const get = (key: keyof typeof METRICS) => total.get(METRICS[key].name) ?? 0;
  const received = get('dossierReceived');
  const resolved = get('dossierResolved');
  const online = receivedByChannel.online ?? 0;
  const payments = get('partyFeePaid');
  const reversals = get('partyFeeReversed');
  const slaTotal = sla.acceptedWithin + sla.acceptedOutside + sla.answeredWithin + sla.answeredOutside;

  return {
    dossiers: {
      received,
      receivedByChannel,
      receivedByOnlineLevel,
      submittedOnline: get('dossierSubmittedOnline'),
      refusedAtIntake: get('dossierRefused'),
      resolved,
      resolvedOnTime,
      resolvedLate,
      returned: get('dossierReturned'),
      withdrawn: get('dossierWithdrawn'),
      stopped: get('dossierStopped'),
      overdueEvents: get('dossierOverdue'),
      supplementsRequested: get('dossierSupplementRequested'),
      digitised: get('dossierDigitised'),
      inProgressNow: now.inProgress,
      overdueNow: now.overdue,
      averageWorkingMinutesToResolve: ratio(get('dossierResolveMinutes'), resolved),
      p90WorkingMinutesToResolve: percentileFromHistogram(histogram, 0.9),
      onlineShare: ratio(online, received),
      proceduresInUse: procedures.size,
      feesPaidVnd: get('dossierFeePaidVnd'),
    },
    indicators: {
      onTimeRate: ratio(resolvedOnTime, resolved),
      onlineRate: ratio(online, offeredOnline),
      digitisationRate: ratio(get('dossierDigitised'), received),
    },
    signatures: {
      completed: get('signatureCompleted'),
      rejected: get('signatureRejected'),
      timedOut: get('signatureTimedOut'),
    },
    hotline: {
      calls: get('callReceived'),
      reports: get('reportSubmitted'),
      appReports,
      reportsByChannel,
      reportsByCategory,
      reportsByLevel,
      reportsByStatus: {
        submitted: get('reportSubmitted'),
        accepted: get('reportAccepted'),
        assigned: get('reportAssigned'),
        answered: get('reportAnswered'),
        closed: get('reportClosed'),
        rejected: get('reportRejected'),
        reopened: get('reportReopened'),
        overdue: get('reportOverdue'),
      },
      acceptedWithinSla: sla.acceptedWithin,
      acceptedOutsideSla: sla.acceptedOutside,
      answeredWithinSla: sla.answeredWithin,
      answeredOutsideSla: sla.answeredOutside,
      slaComplianceRate: ratio(sla.acceptedWithin + sla.answeredWithin, slaTotal),
    },
    appAccountsRegistered: get('appAccountRegistered'),
    partyFees: {
      membersRegistered: get('partyMemberRegistered'),
      payments,
      reversals,
      transactions: payments - reversals,
      collectedVnd: get('partyFeeCollectedVnd'),
    },
  };
}

/** The figures a unit can be ranked by, as paths into Figures. */
export const RANKABLE_METRICS = {
  received: (f: Figures) => f.dossiers.received,
  resolved: (f: Figures) => f.dossiers.resolved,
  resolvedLate: (f: Figures) => f.dossiers.resolvedLate,
  refusedAtIntake: (f: Figures) => f.dossiers.refusedAtIntake,
  inProgressNow: (f: Figures) => f.dossiers.inProgressNow,
  overdueNow: (f: Figures) => f.dossiers.overdueNow,
  onlineShare: (f: Figures) => f.dossiers.onlineShare,
  averageWorkingMinutesToResolve: (f: Figures) => f.dossiers.averageWorkingMinutesToResolve,
  p90WorkingMinutesToResolve: (f: Figures) => f.dossiers.p90WorkingMinutesToResolve,
  onTimeRate: (f: Figures) => f.indicators.onTimeRate,
  onlineRate: (f: Figures) => f.indicators.onlineRate,
  digitisationRate: (f: Figures) => f.indicators.digitisationRate,
  hotlineCalls: (f: Figures) => f.hotline.calls,
  reports: (f: Figures) => f.hotline.reports,
  slaComplianceRate: (f: Figures) => f.hotline.slaComplianceRate,
  partyMembersRegistered: (f: Figures) => f.partyFees.membersRegistered,
  partyFeeTransactions: (f: Figures) => f.partyFees.transactions,
  partyFeeCollectedVnd: (f: Figures) => f.partyFees.collectedVnd,
} as const satisfies Record<string, (f: Figures) => number | null>;
export type RankableMetric = keyof typeof RANKABLE_METRICS;

/** The city's own 15-day report, from the same figures. */
export function fifteenDayReportFrom(figures: Figures) {
  return {
    dossiersReceived: figures.dossiers.received,
    shareOnline: figures.dossiers.onlineShare,
    proceduresInUse: figures.dossiers.proceduresInUse,
    hotlineCalls: figures.hotline.calls,
    appReports: figures.hotline.appReports,
    newAppAccounts: figures.appAccountsRegistered,
    partyMembersRegistered: figures.partyFees.membersRegistered,
    partyFeeTransactions: figures.partyFees.transactions,
  };
}

/** Flattens nested figures to `a.b.c` columns for CSV. */
export function flatten(value: unknown, prefix = '', into: Record<string, string | number | null> = {}) {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into[prefix] = value as string | number | null;
  }
  return into;
}

/** RFC 4180 CSV: one header line, then one line per row; columns are the union of the rows' keys. */
/** CSV through the platform's export helper, which neutralises formula cells (issue 11). */
export { toCsv } from '@backbone/platform';
