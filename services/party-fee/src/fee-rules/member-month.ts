import {
  type AssessmentInput,
  basisPeriodFor,
  type FeeRule,
  type MemberCategory,
  type MonthBasis,
} from './fee-rules';

/** A recorded basis: effective from a month until a later one; a correction is a newer record for the same month. */
export interface BasisRecord extends MonthBasis {
  fromPeriod: string;
  recordedAt: Date;
}

export interface ExemptionRecord {
  fromPeriod: string;
  toPeriod: string;
}

/** The basis in force for `period`: the latest-recorded of the records with the latest month ≤ period. */
export function basisFor(period: string, records: readonly BasisRecord[]): MonthBasis | null {
  let best: BasisRecord | null = null;
  for (const record of records) {
    if (record.fromPeriod > period) continue;
    if (
      !best ||
      record.fromPeriod > best.fromPeriod ||
      (record.fromPeriod === best.fromPeriod && record.recordedAt.getTime() >= best.recordedAt.getTime())
    )
      best = record;
  }
  return best ? { kind: best.kind, amountVnd: best.amountVnd, leave: best.leave } : null;
}

export function isExempt(period: string, exemptions: readonly ExemptionRecord[]): boolean {
  return exemptions.some((e) => e.fromPeriod <= period && period <= e.toPeriod);
}

/** Everything the rule needs for one member and month, from the member's records. */
export function assessmentInputFor(
  member: { category: MemberCategory; pastWorkingAge: boolean; voluntaryVnd: number | null },
  period: string,
  bases: readonly BasisRecord[],
  exemptions: readonly ExemptionRecord[],
  rules: readonly FeeRule[],
): AssessmentInput {
  return {
    period,
    category: member.category,
    basis: basisFor(basisPeriodFor(period, rules), bases),
    pastWorkingAge: member.pastWorkingAge,
    voluntaryVnd: member.voluntaryVnd,
    exempt: isExempt(period, exemptions),
  };
}
