import { figuresFrom } from '../queries/figures';
import { compareHotlineCounts, hotlineStatsQueryFor, parseHotlineStats } from './reconcile-hotline';

const row = (unitCode: string, counts: Partial<Record<string, number>> = {}) => ({
  unitCode,
  callsReceived: 0,
  reportsSubmitted: 0,
  acceptedWithinSla: 0,
  acceptedOutsideSla: 0,
  answeredWithinSla: 0,
  answeredOutsideSla: 0,
  appAccountsRegistered: 0,
  ...counts,
});

describe('hotline reconciliation', () => {
  it('asks for the same Hanoi days', () => {
    expect(hotlineStatsQueryFor({ from: '2025-07-01', to: '2025-07-15' }, '00070').toString()).toBe(
      'from=2025-07-01&to=2025-07-15&unit=00070',
    );
    expect(() => hotlineStatsQueryFor({ from: '2025-07-15', to: '2025-07-01' })).toThrow(/after/);
  });

  it('refuses an answer with a missing count', () => {
    expect(() => parseHotlineStats({ units: [{ unitCode: '00070', callsReceived: 1 }] })).toThrow(
      /reportsSubmitted/,
    );
  });

  it('names each difference per unit and field', () => {
    const figures = figuresFrom(
      [
        {
          metric: 'report.submitted',
          dim1: 'ihanoi',
          dim2: 'environment',
          dim3: 'normal',
          value: 3,
        },
        { metric: 'report.accepted', dim1: 'within', dim2: '', dim3: '', value: 1 },
      ],
      { inProgress: 0, overdue: 0 },
    );
    const differences = compareHotlineCounts(
      parseHotlineStats({ units: [row('00070', { reportsSubmitted: 3, acceptedWithinSla: 2 })] }),
      new Map([['00070', figures]]),
    );
    expect(differences.map((d) => [d.unitCode, d.field, d.source])).toEqual(
      expect.arrayContaining([['00070', 'acceptedWithinSla', 2]]),
    );
    expect(differences.some((d) => d.field === 'reportsSubmitted')).toBe(false);
  });
});
