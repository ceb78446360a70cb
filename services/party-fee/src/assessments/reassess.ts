import { releaseExcess } from '../payments/allocation';
import type { LedgerMonth } from '../payments/member-ledger';
import { assessMonth, type FeeRule, type MemberCategory } from '../fee-rules/fee-rules';
import { assessmentInputFor, type BasisRecord, type ExemptionRecord } from '../fee-rules/member-month';

export interface Reassessment {
  month: LedgerMonth;
  newDueVnd: number;
  deltaVnd: number;
  ruleCode: string;
  /** What was already paid beyond the new amount, back to credit. */
  releasedVnd: number;
}

/**
 * The months already assessed from `fromPeriod` on, recomputed with the member's records as they
 * are now (a corrected basis, a new exemption): each month whose fee changes gets an adjustment;
 * a lowered fee that was already paid releases the excess to the member's credit.
 */
export function reassessMonths(
  member: { category: MemberCategory; pastWorkingAge: boolean; voluntaryVnd: number | null },
  months: readonly LedgerMonth[],
  fromPeriod: string,
  bases: readonly BasisRecord[],
  exemptions: readonly ExemptionRecord[],
  rules: readonly FeeRule[],
): Reassessment[] {
  const changes: Reassessment[] = [];
  for (const month of months) {
    if (month.period < fromPeriod) continue;
    const assessment = assessMonth(assessmentInputFor(member, month.period, bases, exemptions, rules), rules);
    if (assessment.amountVnd === month.dueVnd) continue;
    const released = releaseExcess(month, assessment.amountVnd);
    changes.push({
      month,
      newDueVnd: assessment.amountVnd,
      deltaVnd: assessment.amountVnd - month.dueVnd,
      ruleCode: assessment.ruleCode,
      releasedVnd: released.creditVnd,
    });
  }
  return changes;
}
