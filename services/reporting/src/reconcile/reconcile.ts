import type { Figures } from '../queries/figures';

/**
 * What the reconciliation expects from the dossier service (its API is being built separately):
 * `GET /dossiers/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&unit=00070]` answering
 * `{ "units": [{ "unitCode", "received", "refusedAtIntake", "resolved", "resolvedOnTime", "resolvedLate", "returned", "withdrawn" }] }`,
 * counted from its own tables by the Hanoi day of each business time (receivedAt, resolvedAt, ...).
 */
export interface SourceUnitCounts {
  unitCode: string;
  received: number;
  refusedAtIntake: number;
  resolved: number;
  resolvedOnTime: number;
  resolvedLate: number;
  returned: number;
  withdrawn: number;
}

export const RECONCILED_FIELDS = [
  'received',
  'refusedAtIntake',
  'resolved',
  'resolvedOnTime',
  'resolvedLate',
  'returned',
  'withdrawn',
] as const satisfies readonly (keyof SourceUnitCounts & keyof Figures['dossiers'])[];

export interface Difference {
  unitCode: string;
  field: string;
  source: number;
  reporting: number;
}

/** Every (unit, field) where the two disagree; a unit missing on one side counts as zeros there. */
export function compareCounts(
  source: readonly SourceUnitCounts[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  const bySource = new Map(source.map((row) => [row.unitCode, row]));
  const units = [...new Set([...bySource.keys(), ...reporting.keys()])].sort();
  const differences: Difference[] = [];
  for (const unitCode of units) {
    for (const field of RECONCILED_FIELDS) {
      const left = bySource.get(unitCode)?.[field] ?? 0;
      const right = reporting.get(unitCode)?.dossiers[field] ?? 0;
      if (left !== right) differences.push({ unitCode, field, source: left, reporting: right });
    }
  }
  return differences;
}
