import {
  assessMonth,
  type AssessmentInput,
  basisPeriodFor,
  contractCategoryOf,
  feeRuleTable,
  MissingBasisError,
  ruleFor,
} from './fee-rules';
import { halfOfVnd, percentOfVnd, splitCollected } from './money';
import { addMonths, hanoiMonthRange, hanoiPeriodOf, periodsBetween } from './period';
import { assessmentInputFor, basisFor } from './member-month';

const rules = feeRuleTable();
const month = (period: string, overrides: Partial<AssessmentInput> = {}): AssessmentInput => ({
  period,
  category: 'official',
  basis: { kind: 'salary-and-allowances', amountVnd: 8_500_000, leave: 'none' },
  pastWorkingAge: false,
  voluntaryVnd: null,
  exempt: false,
  ...overrides,
});
const fee = (period: string, overrides: Partial<AssessmentInput> = {}) =>
  assessMonth(month(period, overrides), rules);

describe('rounding (money.ts): to the dong, half up, integer arithmetic', () => {
  it('rounds x.5 up and below .5 down', () => {
    expect(percentOfVnd(5_432_150, 100)).toBe(54_322); // 54,321.5 → 54,322
    expect(percentOfVnd(5_432_149, 100)).toBe(54_321); // 54,321.49 → 54,321
    expect(percentOfVnd(3_333_333, 50)).toBe(16_667); // 16,666.665 → 16,667
    expect(percentOfVnd(3_333_330, 50)).toBe(16_667); // 16,666.65 → 16,667
    expect(percentOfVnd(3_333_320, 50)).toBe(16_667); // 16,666.6
    expect(percentOfVnd(3_333_310, 50)).toBe(16_667); // 16,666.55
    expect(percentOfVnd(3_333_300, 50)).toBe(16_667); // 16,666.5 → up
    expect(percentOfVnd(3_333_290, 50)).toBe(16_666); // 16,666.45
    expect(halfOfVnd(5_001)).toBe(2_501); // 2,500.5 → 2,501
    expect(halfOfVnd(5_000)).toBe(2_500);
  });

  it('stays exact for amounts near 2^53 and refuses fractions and negatives', () => {
    expect(percentOfVnd(9_007_199_254_740_991, 100)).toBe(90_071_992_547_410);
    expect(() => percentOfVnd(1.5, 100)).toThrow(RangeError);
    expect(() => percentOfVnd(-1, 100)).toThrow(RangeError);
  });

  it('splits what a cell collected so that retained + committee = collected exactly', () => {
    expect(splitCollected(100_001, 3_000)).toEqual({ retainedVnd: 70_001, committeeVnd: 30_000 }); // 30,000.3
    expect(splitCollected(100_005, 3_000)).toEqual({ retainedVnd: 70_003, committeeVnd: 30_002 }); // 30,001.5 → up
    expect(splitCollected(-100_005, 3_000)).toEqual({ retainedVnd: -70_003, committeeVnd: -30_002 });
    for (const collected of [0, 1, 2, 3, 7, 999, 123_457, 98_765_431]) {
      const { retainedVnd, committeeVnd } = splitCollected(collected, 3_000);
      expect(retainedVnd + committeeVnd).toBe(collected);
    }
  });
});

describe('the rule in force is the one of the month assessed', () => {
  it('342-QĐ/TW up to January 2026, 01-QĐ/TW from February 2026', () => {
    expect(ruleFor('2025-07', rules).code).toBe('342-QD/TW');
    expect(ruleFor('2026-01', rules).code).toBe('342-QD/TW');
    expect(ruleFor('2026-02', rules).code).toBe('01-QD/TW');
    expect(ruleFor('2030-12', rules).code).toBe('01-QD/TW');
    expect(() => ruleFor('2016-12', rules)).toThrow(RangeError);
  });

  it('reads the same month’s basis under 342 and the previous month’s under 01', () => {
    expect(basisPeriodFor('2026-01', rules)).toBe('2026-01');
    expect(basisPeriodFor('2026-02', rules)).toBe('2026-01');
    expect(basisPeriodFor('2026-03', rules)).toBe('2026-02');
  });

  it('splits 70/30 under 342 and takes 01’s split from configuration', () => {
    expect(ruleFor('2026-01', rules).committeeShareBasisPoints).toBe(3_000);
    expect(
      ruleFor('2026-02', feeRuleTable({ committeeShare01BasisPoints: 2_500 })).committeeShareBasisPoints,
    ).toBe(2_500);
  });
});

describe('Decision 342-QĐ/TW (months up to January 2026)', () => {
  it('officials, armed forces and enterprise employees: 1% of salary (and allowances)', () => {
    expect(fee('2026-01')).toMatchObject({ ruleCode: '342-QD/TW', amountVnd: 85_000, basisVnd: 8_500_000 });
    expect(
      fee('2026-01', {
        category: 'armed-forces',
        basis: { kind: 'salary-and-allowances', amountVnd: 12_345_678, leave: 'none' },
      }).amountVnd,
    ).toBe(123_457);
    expect(
      fee('2026-01', {
        category: 'enterprise-employee',
        basis: { kind: 'salary-and-allowances', amountVnd: 7_000_050, leave: 'none' },
      }).amountVnd,
    ).toBe(70_001);
  });

  it('pensioners: 0.5% of pension', () => {
    expect(
      fee('2025-12', {
        category: 'pensioner',
        basis: { kind: 'pension', amountVnd: 6_200_000, leave: 'none' },
      }).amountVnd,
    ).toBe(31_000);
    expect(
      fee('2025-12', {
        category: 'pensioner',
        basis: { kind: 'pension', amountVnd: 6_200_100, leave: 'none' },
      }).amountVnd,
    ).toBe(31_001); // 31,000.5 → up
  });

  it('members without salary: the fixed amount of the table, 50% past working age', () => {
    expect(fee('2026-01', { category: 'other', basis: null }).amountVnd).toBe(5_000);
    expect(fee('2026-01', { category: 'other', basis: null, pastWorkingAge: true })).toMatchObject({
      amountVnd: 2_500,
    });
    expect(fee('2026-01', { category: 'student', basis: null }).amountVnd).toBe(3_000);
    // The 50% applies where the rule says so: not to salaried members.
    expect(fee('2026-01', { pastWorkingAge: true }).amountVnd).toBe(85_000);
  });

  it('sick leave: 1% of the benefit received', () => {
    expect(
      fee('2026-01', { basis: { kind: 'social-insurance-salary', amountVnd: 6_375_000, leave: 'sick' } }),
    ).toMatchObject({ amountVnd: 63_750 });
  });

  it('a salaried member without a basis cannot be assessed', () => {
    expect(() => fee('2026-01', { basis: null })).toThrow(MissingBasisError);
    expect(() => fee('2026-01', { basis: { kind: 'pension', amountVnd: 1, leave: 'none' } })).toThrow(
      MissingBasisError,
    );
  });
});

describe('Regulation 01-QĐ/TW (months from February 2026)', () => {
  it('1% of the previous month’s social-insurance salary', () => {
    expect(
      fee('2026-02', { basis: { kind: 'social-insurance-salary', amountVnd: 9_360_050, leave: 'none' } }),
    ).toMatchObject({ ruleCode: '01-QD/TW', amountVnd: 93_601 });
  });

  it('1% of the benefit on sick or maternity leave', () => {
    expect(
      fee('2026-03', { basis: { kind: 'social-insurance-salary', amountVnd: 4_680_000, leave: 'sick' } })
        .amountVnd,
    ).toBe(46_800);
    expect(
      fee('2026-03', { basis: { kind: 'social-insurance-salary', amountVnd: 9_360_000, leave: 'maternity' } })
        .amountVnd,
    ).toBe(93_600);
  });

  it('pensioners 0.5%, students 5,000 VND, no 50% past working age', () => {
    expect(
      fee('2026-02', {
        category: 'pensioner',
        basis: { kind: 'pension', amountVnd: 6_200_000, leave: 'none' },
      }).amountVnd,
    ).toBe(31_000);
    expect(fee('2026-02', { category: 'student', basis: null }).amountVnd).toBe(5_000);
    expect(fee('2026-02', { category: 'other', basis: null, pastWorkingAge: true }).amountVnd).toBe(5_000);
  });

  it('a voluntary higher amount replaces a lower fee, never a higher one', () => {
    expect(fee('2026-02', { category: 'student', basis: null, voluntaryVnd: 20_000 })).toMatchObject({
      amountVnd: 20_000,
    });
    expect(fee('2026-02', { voluntaryVnd: 50_000 }).amountVnd).toBe(85_000);
    expect(
      fee('2026-01', { category: 'other', basis: null, pastWorkingAge: true, voluntaryVnd: 10_000 })
        .amountVnd,
    ).toBe(10_000);
  });

  it('an exempt month is assessed at 0 under either rule', () => {
    expect(fee('2026-01', { exempt: true })).toMatchObject({ amountVnd: 0, explanation: 'exempt' });
    expect(fee('2026-02', { exempt: true })).toMatchObject({ amountVnd: 0, ruleCode: '01-QD/TW' });
  });
});

describe('across the January/February 2026 boundary', () => {
  const bases = [
    {
      fromPeriod: '2025-06',
      kind: 'salary-and-allowances' as const,
      amountVnd: 8_000_000,
      leave: 'none' as const,
      recordedAt: new Date('2025-06-01'),
    },
    {
      fromPeriod: '2026-01',
      kind: 'social-insurance-salary' as const,
      amountVnd: 9_000_000,
      leave: 'none' as const,
      recordedAt: new Date('2026-01-01'),
    },
    {
      fromPeriod: '2026-02',
      kind: 'social-insurance-salary' as const,
      amountVnd: 4_500_000,
      leave: 'sick' as const,
      recordedAt: new Date('2026-02-01'),
    },
  ];
  const member = { category: 'official' as const, pastWorkingAge: false, voluntaryVnd: null };
  const feeOf = (period: string) => assessMonth(assessmentInputFor(member, period, bases, [], rules), rules);

  it('December and January by 342 on the month’s own basis; February by 01 on January’s; March on February’s sick benefit', () => {
    expect(feeOf('2025-12')).toMatchObject({ ruleCode: '342-QD/TW', amountVnd: 80_000 });
    expect(feeOf('2026-01')).toMatchObject({ ruleCode: '342-QD/TW', amountVnd: 90_000 });
    expect(feeOf('2026-02')).toMatchObject({ ruleCode: '01-QD/TW', amountVnd: 90_000 });
    expect(feeOf('2026-03')).toMatchObject({ ruleCode: '01-QD/TW', amountVnd: 45_000 });
  });

  it('a past-working-age member without salary pays 2,500 in January and 5,000 in February', () => {
    const other = { category: 'other' as const, pastWorkingAge: true, voluntaryVnd: null };
    expect(assessMonth(assessmentInputFor(other, '2026-01', [], [], rules), rules).amountVnd).toBe(2_500);
    expect(assessMonth(assessmentInputFor(other, '2026-02', [], [], rules), rules).amountVnd).toBe(5_000);
  });

  it('a correction recorded later for the same month wins', () => {
    const corrected = [...bases, { ...bases[1]!, amountVnd: 9_100_000, recordedAt: new Date('2026-03-05') }];
    expect(basisFor('2026-01', corrected)?.amountVnd).toBe(9_100_000);
    expect(assessMonth(assessmentInputFor(member, '2026-02', corrected, [], rules), rules).amountVnd).toBe(
      91_000,
    );
  });

  it('an exemption period excuses the months inside it only', () => {
    const exemptions = [{ fromPeriod: '2026-01', toPeriod: '2026-02' }];
    expect(
      assessMonth(assessmentInputFor(member, '2025-12', bases, exemptions, rules), rules).amountVnd,
    ).toBe(80_000);
    expect(
      assessMonth(assessmentInputFor(member, '2026-01', bases, exemptions, rules), rules).amountVnd,
    ).toBe(0);
    expect(
      assessMonth(assessmentInputFor(member, '2026-02', bases, exemptions, rules), rules).amountVnd,
    ).toBe(0);
    expect(
      assessMonth(assessmentInputFor(member, '2026-03', bases, exemptions, rules), rules).amountVnd,
    ).toBe(45_000);
  });
});

describe('months', () => {
  it('adds, bounds and maps instants to Hanoi months', () => {
    expect(addMonths('2026-01', 1)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(periodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(() => periodsBetween('2000-01', '2100-12')).toThrow(RangeError);
    expect(hanoiPeriodOf(new Date('2026-01-31T17:00:00Z'))).toBe('2026-02');
    expect(hanoiPeriodOf(new Date('2026-01-31T16:59:59Z'))).toBe('2026-01');
    expect(hanoiMonthRange('2026-02')).toEqual({
      start: new Date('2026-01-31T17:00:00Z'),
      end: new Date('2026-02-28T17:00:00Z'),
    });
  });

  it('maps the six categories onto the contract’s four', () => {
    expect(
      ['official', 'armed-forces', 'enterprise-employee', 'pensioner', 'student', 'other'].map((c) =>
        contractCategoryOf(c as never),
      ),
    ).toEqual(['official', 'official', 'official', 'pensioner', 'student', 'other']);
  });
});
