/**
 * Money is integer VND everywhere. Percentages are basis points (1% = 100 bp) so that every rule is
 * integer arithmetic; the one rounding step is here.
 *
 * Rounding rule (documented in the README, tested in money.spec.ts): a percentage of an amount is
 * rounded to the dong, half up (x.5 → x+1). Amounts are never negative where a percentage is taken.
 * BigInt keeps the product exact for any amount below 2^53.
 */
export function percentOfVnd(amountVnd: number, basisPoints: number): number {
  assertVnd(amountVnd, 'amount');
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000)
    throw new RangeError(`basis points must be an integer 0..10000, got ${basisPoints}`);
  const product = BigInt(amountVnd) * BigInt(basisPoints);
  return Number((product + 5_000n) / 10_000n);
}

/** Half of an amount, half up: the 50% of members past working age. */
export function halfOfVnd(amountVnd: number): number {
  return percentOfVnd(amountVnd, 5_000);
}

export function assertVnd(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be whole VND ≥ 0, got ${value}`);
}

/**
 * A cell's retention and its committee's share of what it collected in a month. The committee's
 * share is rounded half up on the month's total (not per payment), and the cell keeps the rest, so
 * retained + committee = collected exactly.
 */
export function splitCollected(
  collectedVnd: number,
  committeeBasisPoints: number,
): { retainedVnd: number; committeeVnd: number } {
  if (collectedVnd < 0) {
    // A month whose reversals exceed its payments: mirror the rule, the signs follow the total.
    const positive = splitCollected(-collectedVnd, committeeBasisPoints);
    return { retainedVnd: -positive.retainedVnd, committeeVnd: -positive.committeeVnd };
  }
  const committeeVnd = percentOfVnd(collectedVnd, committeeBasisPoints);
  return { retainedVnd: collectedVnd - committeeVnd, committeeVnd };
}
