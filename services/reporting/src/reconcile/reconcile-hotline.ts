import { isSupportedHanoiDay } from '@backbone/calendar';
import type { Figures } from '../queries/figures';
import { compareUnitCounts, type Difference, parseUnitCounts, type ReconciledField } from './reconcile';

/**
 * One unit's row of the hotline service's `GET /stats?from&to[&unit]` (Hanoi days, inclusive;
 * services/hotline/src/query-reports/query-reports.handler.ts): counted from its own tables by the
 * same business time and unit as the events reporting folds — calls by start (call.received.v1),
 * reports submitted / accepted / answered from the report history by the step's time and the unit
 * its event was published for, accepted and answered split by whether the SLA was met.
 */
export interface HotlineUnitCounts {
  unitCode: string;
  callsReceived: number;
  reportsSubmitted: number;
  acceptedWithinSla: number;
  acceptedOutsideSla: number;
  answeredWithinSla: number;
  answeredOutsideSla: number;
  appAccountsRegistered: number;
}

type HotlineField = Exclude<keyof HotlineUnitCounts, 'unitCode'>;

const HOTLINE_FIELDS: readonly HotlineField[] = [
  'callsReceived',
  'reportsSubmitted',
  'acceptedWithinSla',
  'acceptedOutsideSla',
  'answeredWithinSla',
  'answeredOutsideSla',
  'appAccountsRegistered',
];

/** A count the hotline's stats answer names as the reconciliation reports it. */
function sameName(
  field: HotlineField,
  reporting: (figures: Figures) => number,
): ReconciledField<HotlineUnitCounts> {
  return { field, source: (row) => row[field], reporting };
}

/** What is compared: calls, reports, SLA compliance (both stages, both outcomes), app accounts. */
export const HOTLINE_RECONCILED_FIELDS: readonly ReconciledField<HotlineUnitCounts>[] = [
  sameName('callsReceived', (f) => f.hotline.calls),
  sameName('reportsSubmitted', (f) => f.hotline.reports),
  sameName('acceptedWithinSla', (f) => f.hotline.acceptedWithinSla),
  sameName('acceptedOutsideSla', (f) => f.hotline.acceptedOutsideSla),
  sameName('answeredWithinSla', (f) => f.hotline.answeredWithinSla),
  sameName('answeredOutsideSla', (f) => f.hotline.answeredOutsideSla),
  sameName('appAccountsRegistered', (f) => f.appAccountsRegistered),
];

/** The hotline's stats take the same Hanoi days as reporting (both inclusive). */
export function hotlineStatsQueryFor(period: { from: string; to: string }, unit?: string): URLSearchParams {
  for (const [name, day] of Object.entries(period)) {
    if (!isSupportedHanoiDay(day)) throw new Error(`--${name} must be a day YYYY-MM-DD, got "${day}"`);
  }
  if (period.from > period.to) throw new Error(`--from ${period.from} is after --to ${period.to}`);
  return new URLSearchParams({ from: period.from, to: period.to, ...(unit ? { unit } : {}) });
}

/** The stats answer, field by field: a missing count fails loudly rather than reading as 0. */
export function parseHotlineStats(body: unknown): HotlineUnitCounts[] {
  return parseUnitCounts(body, 'hotline stats', HOTLINE_FIELDS);
}

/** Every (unit, field) where the hotline and reporting disagree; a unit missing on one side counts as zeros. */
export function compareHotlineCounts(
  source: readonly HotlineUnitCounts[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  return compareUnitCounts(HOTLINE_RECONCILED_FIELDS, source, reporting);
}
