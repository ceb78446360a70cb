import type { Figures } from '../queries/figures';
import { compareUnitCounts, type Difference, parseUnitCounts } from './reconcile';

/**
 * One unit's row of the party-fee service's `GET /stats?from&to[&unit]`
 * (services/party-fee/src/reconciliation/stats.controller.ts), counted from its own tables by the
 * same business time and unit as the events reporting folds: members registered (registeredAt, the
 * unit at registration), payments (paidAt), reversals (reversedAt), VND collected (paid − reversed).
 */
export interface PartyFeeUnitCounts {
  unitCode: string;
  membersRegistered: number;
  payments: number;
  reversals: number;
  collectedVnd: number;
}

/** What is compared: members, transactions (payments net of reversals, as the 15-day report counts them) and VND. */
export const PARTY_FEE_RECONCILED_FIELDS: readonly {
  field: string;
  source: (row: PartyFeeUnitCounts) => number;
  reporting: (figures: Figures) => number;
}[] = [
  {
    field: 'partyMembersRegistered',
    source: (s) => s.membersRegistered,
    reporting: (f) => f.partyFees.membersRegistered,
  },
  {
    field: 'partyFeeTransactions',
    source: (s) => s.payments - s.reversals,
    reporting: (f) => f.partyFees.transactions,
  },
  {
    field: 'partyFeeCollectedVnd',
    source: (s) => s.collectedVnd,
    reporting: (f) => f.partyFees.collectedVnd,
  },
];

const COUNTS = ['membersRegistered', 'payments', 'reversals'] as const;

/** The stats answer, checked field by field: a missing count fails loudly rather than reading as 0. */
export function parsePartyFeeStats(body: unknown): PartyFeeUnitCounts[] {
  return parseUnitCounts(body, 'party-fee stats', COUNTS, ['collectedVnd']);
}

/** Every (unit, field) where the party-fee service and reporting disagree; a unit missing on one side counts as zeros. */
export function comparePartyFeeCounts(
  source: readonly PartyFeeUnitCounts[],
  reporting: ReadonlyMap<string, Figures>,
): Difference[] {
  return compareUnitCounts(PARTY_FEE_RECONCILED_FIELDS, source, reporting);
}

/** Asks the party-fee service for its counts of the period (the same instants as the dossier stats). */
export async function fetchPartyFeeStats(
  apiUrl: string,
  token: string,
  query: URLSearchParams,
): Promise<PartyFeeUnitCounts[]> {
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/stats?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok)
    throw new Error(`party-fee service answered ${response.status}: ${await response.text()}`);
  return parsePartyFeeStats(await response.json());
}
