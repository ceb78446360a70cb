import { isSupportedHanoiDay, nextHanoiDay, startOfHanoiDay } from '@backbone/calendar';
import type { Figures } from '../queries/figures';

/**
 * One unit's row of the dossier service's `GET /dossiers/stats?from&to[&unit]`
 * (services/dossier/src/query-dossiers/query-dossiers.handler.ts): counted from its own `dossiers`
 * table, each count by its business time in the half-open instant range [from, to) —
 * submittedOnline by submitted_at; received, receivedOnline, receivedDigitised by received_at;
 * resolved, resolvedOnTime (resolved_at <= due_at) by resolved_at; resultReturned by returned_at;
 * refusedAtIntake, withdrawn, stopped by closed_at — the same times reporting folds by.
 */
export interface SourceUnitCounts {
  unitCode: string;
  submittedOnline: number;
  received: number;
  receivedOnline: number;
  receivedDigitised: number;
  refusedAtIntake: number;
  resolved: number;
  resolvedOnTime: number;
  resultReturned: number;
  withdrawn: number;
  stopped: number;
}

type SourceField = Exclude<keyof SourceUnitCounts, 'unitCode'>;

/**
 * What is compared, named by the dossier service's field, and how each side gives it.
 * `feePaid` is not compared: the source counts dossiers by their latest `paid_at` (a second
 * payment overwrites it), reporting counts payment events, so they legitimately differ.
 */
export const RECONCILED_FIELDS: readonly {
  field: string;
  source: (row: SourceUnitCounts) => number;
  reporting: (figures: Figures) => number;
}[] = [
  {
    field: 'submittedOnline',
    source: (s) => s.submittedOnline,
    reporting: (f) => f.dossiers.submittedOnline,
  },
  { field: 'received', source: (s) => s.received, reporting: (f) => f.dossiers.received },
  {
    field: 'receivedOnline',
    source: (s) => s.receivedOnline,
    reporting: (f) => f.dossiers.receivedByChannel.online ?? 0,
  },
  { field: 'receivedDigitised', source: (s) => s.receivedDigitised, reporting: (f) => f.dossiers.digitised },
  {
    field: 'refusedAtIntake',
    source: (s) => s.refusedAtIntake,
    reporting: (f) => f.dossiers.refusedAtIntake,
  },
  { field: 'resolved', source: (s) => s.resolved, reporting: (f) => f.dossiers.resolved },
  { field: 'resolvedOnTime', source: (s) => s.resolvedOnTime, reporting: (f) => f.dossiers.resolvedOnTime },
  // The source has no late count: resolved and not on time, the same rule as the event's `onTime`.
  {
    field: 'resolvedLate',
    source: (s) => s.resolved - s.resolvedOnTime,
    reporting: (f) => f.dossiers.resolvedLate,
  },
  { field: 'resultReturned', source: (s) => s.resultReturned, reporting: (f) => f.dossiers.returned },
  { field: 'withdrawn', source: (s) => s.withdrawn, reporting: (f) => f.dossiers.withdrawn },
  { field: 'stopped', source: (s) => s.stopped, reporting: (f) => f.dossiers.stopped },
];

const SOURCE_FIELDS: readonly SourceField[] = [
  'submittedOnline',
  'received',
  'receivedOnline',
  'receivedDigitised',
  'refusedAtIntake',
  'resolved',
  'resolvedOnTime',
  'resultReturned',
  'withdrawn',
  'stopped',
];

/**
 * Reporting's period is Hanoi days, both inclusive; the stats endpoint takes instants, `to`
 * exclusive. So `--from 2025-07-01 --to 2025-07-15` asks for [2025-06-30T17:00Z, 2025-07-15T17:00Z).
 * (A bare date would be read as UTC midnight — 07:00 in Hanoi — and the last day left out.)
 */
export function statsQueryFor(period: { from: string; to: string }, unit?: string): URLSearchParams {
  for (const [name, day] of Object.entries(period)) {
    if (!isSupportedHanoiDay(day)) throw new Error(`--${name} must be a day YYYY-MM-DD, got "${day}"`);
  }
  if (period.from > period.to) throw new Error(`--from ${period.from} is after --to ${period.to}`);
  return new URLSearchParams({
    from: startOfHanoiDay(period.from).toISOString(),
    to: startOfHanoiDay(nextHanoiDay(period.to)).toISOString(),
    ...(unit ? { unit } : {}),
  });
}

/**
 * A source service's stats answer (`{ units: [{ unitCode, <count>… }] }`), field by field: a missing,
 * fractional or negative count fails loudly rather than reading as 0; `integers` are signed amounts
 * (VND net of reversals). `what` names the answer in errors ("hotline stats").
 */
export function parseUnitCounts<C extends string, I extends string = never>(
  body: unknown,
  what: string,
  counts: readonly C[],
  integers: readonly I[] = [],
): ({ unitCode: string } & Record<C | I, number>)[] {
  const units = (body as { units?: unknown } | null)?.units;
  if (!Array.isArray(units)) throw new Error(`the ${what} answer has no "units" array`);
  return units.map((row: unknown, index) => {
    const record = (row ?? {}) as Record<string, unknown>;
    if (typeof record.unitCode !== 'string' || record.unitCode === '')
      throw new Error(`${what} units[${index}] has no unitCode`);
    const parsed: Record<string, number | string> = { unitCode: record.unitCode };
    for (const field of counts) {
      const value = record[field];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw new Error(`${what} units[${index}] (${record.unitCode}) has no count "${field}"`);
      parsed[field] = value;
    }
    for (const field of integers) {
      const value = record[field];
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new Error(`${what} units[${index}] (${record.unitCode}) has no "${field}"`);
      parsed[field] = value;
    }
    return parsed as { unitCode: string } & Record<C | I, number>;
  });
}

/** The dossier service's stats answer. */
export function parseStatsResponse(body: unknown): SourceUnitCounts[] {
  return parseUnitCounts(body, 'stats', SOURCE_FIELDS);
}

export interface Difference {
  unitCode: string;
  field: string;
  source: number;
  reporting: number;
}

/** A compared field: its name and how each side gives it. */
export interface ReconciledField<S> {
  field: string;
  source: (row: S) => number;
  reporting: (figures: Figures) => number;
}

/** Every (unit, field) where a source and reporting disagree; a unit missing on one side counts as zeros there. */
export function compareUnitCounts<S extends { unitCode: string }>(
  fields: readonly ReconciledField<S>[],
  source: readonly S[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  const bySource = new Map(source.map((row) => [row.unitCode, row]));
  const units = [...new Set([...bySource.keys(), ...reporting.keys()])].sort();
  const differences: Difference[] = [];
  for (const unitCode of units) {
    const sourceRow = bySource.get(unitCode);
    const figures = reporting.get(unitCode);
    for (const { field, source: fromSource, reporting: fromReporting } of fields) {
      const left = sourceRow ? fromSource(sourceRow) : 0;
      const right = figures ? fromReporting(figures) : 0;
      if (left !== right) differences.push({ unitCode, field, source: left, reporting: right });
    }
  }
  return differences;
}

/** The dossier service's counts against reporting's. */
export function compareCounts(
  source: readonly SourceUnitCounts[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  return compareUnitCounts(RECONCILED_FIELDS, source, reporting);
}
