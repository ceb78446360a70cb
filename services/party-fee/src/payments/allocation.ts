/**
 * How money meets fees, without I/O. A payment (or the member's carried credit) pays the oldest
 * open month first; what is left after every open month is credit, carried to the months assessed
 * later. A reversal takes back exactly what its payment allocated, and the part it had credited:
 * from the credit still carried, and what the credit already paid is taken back from the newest
 * months first. Amounts are integer VND.
 */
export interface OpenMonth {
  assessmentId: string;
  period: string;
  /** Assessed plus adjustments. */
  dueVnd: number;
  /** Already allocated to it (net of reversals). */
  allocatedVnd: number;
}

export interface Allocation {
  assessmentId: string;
  period: string;
  /** Positive: paid towards the month; negative: taken back (a reversal or a lowered fee). */
  amountVnd: number;
}

export interface AllocationPlan {
  allocations: Allocation[];
  /** What is left over, carried as credit. */
  creditVnd: number;
}

function assertAmount(amountVnd: number, name: string): void {
  if (!Number.isSafeInteger(amountVnd) || amountVnd < 0)
    throw new RangeError(`${name} must be whole VND ≥ 0, got ${amountVnd}`);
}

/** Oldest open month first; ties (never in practice: one assessment per month) by id. */
function oldestFirst(months: readonly OpenMonth[]): OpenMonth[] {
  return [...months].sort((a, b) =>
    a.period === b.period ? a.assessmentId.localeCompare(b.assessmentId) : a.period < b.period ? -1 : 1,
  );
}

/** A payment of `amountVnd` against the member's months: partial, exact, several months, or more. */
export function allocatePayment(amountVnd: number, months: readonly OpenMonth[]): AllocationPlan {
  assertAmount(amountVnd, 'payment');
  let left = amountVnd;
  const allocations: Allocation[] = [];
  for (const month of oldestFirst(months)) {
    if (left === 0) break;
    const open = month.dueVnd - month.allocatedVnd;
    if (open <= 0) continue;
    const paid = Math.min(open, left);
    allocations.push({ assessmentId: month.assessmentId, period: month.period, amountVnd: paid });
    left -= paid;
  }
  return { allocations, creditVnd: left };
}

/** What is still owed in total. */
export function openTotal(months: readonly OpenMonth[]): number {
  return months.reduce((sum, month) => sum + Math.max(0, month.dueVnd - month.allocatedVnd), 0);
}

export interface ReversalPlan {
  /** Negative allocations: the payment's own, and the credit it funded that was already spent. */
  allocations: Allocation[];
  /** Change of the member's carried credit (≤ 0). */
  creditDeltaVnd: number;
}

/**
 * Takes a payment back. `paymentAllocations`: what it allocated (net per month); `creditedVnd`:
 * the part it left as credit; `creditVnd`: the credit the member carries now; `months`: the
 * member's months with their allocations now, to take spent credit back from the newest.
 */
export function reversePayment(
  paymentAllocations: readonly Allocation[],
  creditedVnd: number,
  creditVnd: number,
  months: readonly OpenMonth[],
): ReversalPlan {
  assertAmount(creditedVnd, 'credited part');
  const allocations: Allocation[] = paymentAllocations
    .filter((a) => a.amountVnd > 0)
    .map((a) => ({ assessmentId: a.assessmentId, period: a.period, amountVnd: -a.amountVnd }));
  const fromCredit = Math.min(Math.max(creditVnd, 0), creditedVnd);
  let spent = creditedVnd - fromCredit;
  if (spent > 0) {
    // What this reversal already takes back from each month does not count again.
    const takenBack = new Map(allocations.map((a) => [a.assessmentId, -a.amountVnd]));
    for (const month of oldestFirst(months).reverse()) {
      if (spent === 0) break;
      const still = month.allocatedVnd - (takenBack.get(month.assessmentId) ?? 0);
      if (still <= 0) continue;
      const back = Math.min(still, spent);
      allocations.push({ assessmentId: month.assessmentId, period: month.period, amountVnd: -back });
      spent -= back;
    }
  }
  // Whatever could not be taken back from any month (impossible while the ledger is consistent)
  // stays a negative credit, so the totals still balance.
  return { allocations, creditDeltaVnd: -fromCredit - spent };
}

/**
 * A month's fee lowered to `newDueVnd` (a correction or an exemption) when more than that was
 * already allocated: the excess goes back to the member's credit.
 */
export function releaseExcess(month: OpenMonth, newDueVnd: number): AllocationPlan {
  const excess = month.allocatedVnd - newDueVnd;
  if (excess <= 0) return { allocations: [], creditVnd: 0 };
  return {
    allocations: [{ assessmentId: month.assessmentId, period: month.period, amountVnd: -excess }],
    creditVnd: excess,
  };
}
