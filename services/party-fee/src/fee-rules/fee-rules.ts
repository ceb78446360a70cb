import { assertVnd, halfOfVnd, percentOfVnd } from './money';
import { assertPeriod, previousPeriod } from './period';

/** What a member is, for the fee rule (the six categories). */
export const MEMBER_CATEGORIES = [
  'official',
  'armed-forces',
  'enterprise-employee',
  'pensioner',
  'student',
  'other',
] as const;
export type MemberCategory = (typeof MEMBER_CATEGORIES)[number];

/** What the monthly fee is a percentage of. */
export const BASIS_KINDS = ['salary-and-allowances', 'social-insurance-salary', 'pension', 'none'] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

/** Sick or maternity leave: the basis is then the social-insurance benefit received that month. */
export const LEAVE_KINDS = ['none', 'sick', 'maternity'] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

/** The coarse category the `party-member.registered.v1` contract knows (its enum cannot grow). */
export function contractCategoryOf(category: MemberCategory): 'official' | 'pensioner' | 'student' | 'other' {
  switch (category) {
    case 'official':
    case 'armed-forces':
    case 'enterprise-employee':
      return 'official';
    default:
      return category;
  }
}

/** How one category's fee is computed under one rule. */
export type CategoryFee =
  /** A percentage (basis points) of the basis, which must be of one of `basisKinds`. */
  | { kind: 'percent'; basisPoints: number; basisKinds: readonly BasisKind[] }
  /** A fixed monthly amount. */
  | { kind: 'fixed'; amountVnd: number };

export interface FeeRule {
  /** As carried by `party-fee.assessed.v1`'s `ruleCode`. */
  code: string;
  /** The legal text. */
  title: string;
  /** First month assessed under it (`YYYY-MM`), and the last (null: still in force). */
  fromPeriod: string;
  toPeriod: string | null;
  /** Which month's basis the fee of month M is a percentage of. */
  basisMonth: 'same' | 'previous';
  categories: Record<MemberCategory, CategoryFee>;
  /** Categories whose members pay 50% once past working age (342 says so for members without salary). */
  halfPastWorkingAge: readonly MemberCategory[];
  /** Whether a member may pay a higher voluntary amount (both rules encourage it). */
  allowsVoluntary: boolean;
  /** The committee's share of what a cell collects, basis points; the cell keeps the rest. */
  committeeShareBasisPoints: number;
}

const SALARIED_BASIS: readonly BasisKind[] = ['salary-and-allowances', 'social-insurance-salary'];

/**
 * The rule table, effective-dated by the month assessed (data: a new rule is a new row).
 *
 * Decision 342-QĐ/TW (2016), in force for months up to January 2026: officials and public
 * employees and the armed forces 1% of salary and allowances; enterprise employees 1% of salary;
 * pensioners 0.5% of pension; members without salary a fixed monthly amount (students 3,000 VND,
 * others 5,000 VND in this table, within the decision's 2,000–30,000 VND range), halved for those
 * past working age. The grassroots cell keeps 70%, the committee receives 30%.
 *
 * Regulation 01-QĐ/TW, from February 2026: 1% of the previous month's social-insurance salary (on
 * sick or maternity leave, 1% of the benefit received that month), pensioners 0.5%, students
 * 5,000 VND, others a fixed amount, higher voluntary amounts allowed. Its split between cell and
 * committee is configuration (PARTY_FEE_01_COMMITTEE_SHARE_BP) until the guidance fixes it.
 */
export function feeRuleTable(options: { committeeShare01BasisPoints?: number } = {}): readonly FeeRule[] {
  return [
    {
      code: '342-QD/TW',
      title: 'Decision 342-QĐ/TW on party fees (2016)',
      fromPeriod: '2017-01',
      toPeriod: '2026-01',
      basisMonth: 'same',
      categories: {
        official: { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        'armed-forces': { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        'enterprise-employee': { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        pensioner: { kind: 'percent', basisPoints: 50, basisKinds: ['pension'] },
        student: { kind: 'fixed', amountVnd: 3_000 },
        other: { kind: 'fixed', amountVnd: 5_000 },
      },
      halfPastWorkingAge: ['other'],
      allowsVoluntary: true,
      committeeShareBasisPoints: 3_000,
    },
    {
      code: '01-QD/TW',
      title: 'Regulation 01-QĐ/TW on party fees (2026)',
      fromPeriod: '2026-02',
      toPeriod: null,
      basisMonth: 'previous',
      categories: {
        official: { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        'armed-forces': { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        'enterprise-employee': { kind: 'percent', basisPoints: 100, basisKinds: SALARIED_BASIS },
        pensioner: { kind: 'percent', basisPoints: 50, basisKinds: ['pension'] },
        student: { kind: 'fixed', amountVnd: 5_000 },
        other: { kind: 'fixed', amountVnd: 5_000 },
      },
      halfPastWorkingAge: [],
      allowsVoluntary: true,
      committeeShareBasisPoints: options.committeeShare01BasisPoints ?? 3_000,
    },
  ];
}

/** The rule in force for a month; throws for a month before the table. */
export function ruleFor(period: string, rules: readonly FeeRule[]): FeeRule {
  assertPeriod(period);
  const rule = rules.find((r) => r.fromPeriod <= period && (r.toPeriod === null || period <= r.toPeriod));
  if (!rule) throw new RangeError(`no party-fee rule is in force for ${period}`);
  return rule;
}

/** The member's basis as recorded for one month. */
export interface MonthBasis {
  kind: BasisKind;
  /** Salary and allowances, social-insurance salary, pension, or (on leave) the benefit: integer VND. */
  amountVnd: number;
  leave: LeaveKind;
}

export interface AssessmentInput {
  period: string;
  category: MemberCategory;
  /** The basis of the month the rule reads (`basisPeriodFor`), or null when none is recorded. */
  basis: MonthBasis | null;
  pastWorkingAge: boolean;
  /** A higher amount the member chose to pay monthly, if any. */
  voluntaryVnd: number | null;
  /** The month lies in an exemption period. */
  exempt: boolean;
}

export interface Assessment {
  ruleCode: string;
  amountVnd: number;
  /** The basis the percentage was taken of (0 for fixed amounts). */
  basisVnd: number;
  /** How it was computed, for the member's statement and the tests. */
  explanation: string;
}

/** The month whose basis the fee of `period` is computed from under its rule. */
export function basisPeriodFor(period: string, rules: readonly FeeRule[]): string {
  return ruleFor(period, rules).basisMonth === 'previous' ? previousPeriod(period) : period;
}

export class MissingBasisError extends Error {}

/** The fee of one member for one month: pure, integer VND, rounding as money.ts says. */
export function assessMonth(input: AssessmentInput, rules: readonly FeeRule[]): Assessment {
  const rule = ruleFor(input.period, rules);
  if (input.exempt) return { ruleCode: rule.code, amountVnd: 0, basisVnd: 0, explanation: 'exempt' };
  const fee = rule.categories[input.category];
  let amountVnd: number;
  let basisVnd = 0;
  let explanation: string;
  if (fee.kind === 'fixed') {
    amountVnd = fee.amountVnd;
    explanation = `fixed ${fee.amountVnd} VND`;
  } else {
    const basis = input.basis;
    if (!basis || !fee.basisKinds.includes(basis.kind))
      throw new MissingBasisError(
        `${rule.code} needs a basis of ${fee.basisKinds.join(' or ')} for a ${input.category} member in ${input.period}`,
      );
    assertVnd(basis.amountVnd, 'basis');
    basisVnd = basis.amountVnd;
    amountVnd = percentOfVnd(basis.amountVnd, fee.basisPoints);
    const on = basis.leave === 'none' ? basis.kind : `${basis.leave}-leave benefit`;
    explanation = `${fee.basisPoints / 100}% of ${basis.amountVnd} VND (${on})`;
  }
  if (input.pastWorkingAge && rule.halfPastWorkingAge.includes(input.category)) {
    amountVnd = halfOfVnd(amountVnd);
    explanation += ', 50% past working age';
  }
  if (input.voluntaryVnd !== null && rule.allowsVoluntary && input.voluntaryVnd > amountVnd) {
    assertVnd(input.voluntaryVnd, 'voluntary amount');
    explanation += `, voluntary ${input.voluntaryVnd} VND instead of ${amountVnd}`;
    amountVnd = input.voluntaryVnd;
  }
  return { ruleCode: rule.code, amountVnd, basisVnd, explanation };
}
