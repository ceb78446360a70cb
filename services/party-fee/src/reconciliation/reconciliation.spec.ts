import { arrearsCase } from '../arrears/arrears';
import { cellMonth, totalOf } from './reconciliation';

describe('a cell’s month and its totals', () => {
  const cell = { cellId: 'c', cellCode: 'chi-bo', unitCode: '00070' };

  it('derives outstanding and the split from the ledger sums', () => {
    const month = cellMonth(
      cell,
      {
        assessedVnd: 300_000,
        adjustedVnd: 5_000,
        movedInVnd: 10_000,
        movedOutVnd: 15_000,
        paidVnd: 200_000,
        collectedVnd: 250_005,
        remittedVnd: 0,
      },
      3_000,
    );
    expect(month).toMatchObject({ outstandingVnd: 100_000, committeeShareVnd: 75_002, retainedVnd: 175_003 });
  });

  it('totals are sums of rows, never recomputed', () => {
    const a = cellMonth(
      cell,
      {
        assessedVnd: 1,
        adjustedVnd: 0,
        movedInVnd: 0,
        movedOutVnd: 0,
        paidVnd: 0,
        collectedVnd: 5,
        remittedVnd: 0,
      },
      3_000,
    );
    const b = cellMonth(
      cell,
      {
        assessedVnd: 2,
        adjustedVnd: 0,
        movedInVnd: 0,
        movedOutVnd: 0,
        paidVnd: 0,
        collectedVnd: 5,
        remittedVnd: 0,
      },
      3_000,
    );
    // 5 → committee 1.5 → 2 each; the total of the rows is 4, not 30% of 10 = 3.
    expect(totalOf([a, b])).toMatchObject({
      assessedVnd: 3,
      collectedVnd: 10,
      committeeShareVnd: 4,
      retainedVnd: 6,
    });
  });
});

describe('arrears: three unexcused unpaid months within twelve', () => {
  const m = (period: string, openVnd: number, exempt = false) => ({ period, openVnd, exempt });

  it('counts months of the window that still owe and are not excused', () => {
    expect(
      arrearsCase([m('2025-03', 5_000), m('2025-05', 5_000), m('2026-03', 5_000)], '2026-03'),
    ).toBeNull(); // the window is 2025-04 … 2026-03: March 2025 is outside
    expect(arrearsCase([m('2025-05', 5_000), m('2025-09', 1), m('2026-03', 5_000)], '2026-03')).toEqual({
      unpaidPeriods: ['2025-05', '2025-09', '2026-03'],
      outstandingVnd: 10_001,
    });
    expect(
      arrearsCase([m('2025-05', 5_000), m('2025-09', 5_000, true), m('2026-03', 5_000)], '2026-03'),
    ).toBeNull();
    expect(arrearsCase([m('2025-05', 5_000), m('2025-09', 0), m('2026-03', 5_000)], '2026-03')).toBeNull();
  });
});
