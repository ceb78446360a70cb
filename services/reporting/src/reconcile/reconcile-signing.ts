import type { Figures } from '../queries/figures';
import { compareUnitCounts, type Difference, parseUnitCounts } from './reconcile';

/**
 * One unit's row of the signing service's `GET /signing/stats?from&to[&unit]`
 * (services/signing/src/signing-counts/signing-stats.controller.ts): its signing sessions counted
 * from its own `signing_sessions` table in the half-open instant range [from, to), each by the time
 * its event carries — completed by signedAt, rejected by rejectedAt, timed out by timedOutAt — the
 * times reporting folds `signature.*` events by.
 */
export interface SigningSourceCounts {
  unitCode: string;
  requested: number;
  completed: number;
  rejected: number;
  timedOut: number;
}

const SIGNING_SOURCE_FIELDS = ['requested', 'completed', 'rejected', 'timedOut'] as const;

/**
 * What is compared. `requested` is not: reporting folds it (`signature.requested`) but its figures
 * do not expose it, and every requested session ends in one of the three compared outcomes or is
 * still pending.
 */
export const SIGNING_RECONCILED_FIELDS: readonly {
  field: string;
  source: (row: SigningSourceCounts) => number;
  reporting: (figures: Figures) => number;
}[] = [
  { field: 'signaturesCompleted', source: (s) => s.completed, reporting: (f) => f.signatures.completed },
  { field: 'signaturesRejected', source: (s) => s.rejected, reporting: (f) => f.signatures.rejected },
  { field: 'signaturesTimedOut', source: (s) => s.timedOut, reporting: (f) => f.signatures.timedOut },
];

/** The signing stats answer, checked field by field (a missing count fails loudly, never reads as 0). */
export function parseSigningStatsResponse(body: unknown): SigningSourceCounts[] {
  return parseUnitCounts(body, 'signing stats', SIGNING_SOURCE_FIELDS);
}

/** Every (unit, field) where the signing service and reporting disagree; a missing unit counts as zeros. */
export function compareSigningCounts(
  source: readonly SigningSourceCounts[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  return compareUnitCounts(SIGNING_RECONCILED_FIELDS, source, reporting);
}

/**
 * The signing side of `npm run reconcile` (reconcile.cli.ts): the signing service's own counts over
 * the same instants as the dossier stats, compared with reporting's figures per unit.
 */
export async function reconcileSigning(
  apiUrl: string,
  token: string,
  query: URLSearchParams,
  reporting: ReadonlyMap<string, Figures>,
): Promise<Difference[]> {
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/signing/stats?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`signing service answered ${response.status}: ${await response.text()}`);
  return compareSigningCounts(parseSigningStatsResponse(await response.json()), reporting);
}
