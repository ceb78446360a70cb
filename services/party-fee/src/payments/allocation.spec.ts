import { allocatePayment, type OpenMonth, openTotal, releaseExcess, reversePayment } from './allocation';

const months = (...dues: [string, number, number?][]): OpenMonth[] =>
  dues.map(([period, due, allocated = 0]) => ({
    assessmentId: `a-${period}`,
    period,
    dueVnd: due,
    allocatedVnd: allocated,
  }));

describe('allocation: oldest open month first, the rest carried as credit', () => {
  it('a partial payment pays part of the oldest month', () => {
    expect(allocatePayment(30_000, months(['2026-02', 85_000], ['2026-01', 85_000]))).toEqual({
      allocations: [{ assessmentId: 'a-2026-01', period: '2026-01', amountVnd: 30_000 }],
      creditVnd: 0,
    });
  });

  it('completes a partly paid month before the next', () => {
    const plan = allocatePayment(100_000, months(['2026-01', 85_000, 30_000], ['2026-02', 85_000]));
    expect(plan.allocations).toEqual([
      { assessmentId: 'a-2026-01', period: '2026-01', amountVnd: 55_000 },
      { assessmentId: 'a-2026-02', period: '2026-02', amountVnd: 45_000 },
    ]);
    expect(plan.creditVnd).toBe(0);
  });

  it('an advance payment of several months pays the open ones and carries the rest', () => {
    const plan = allocatePayment(300_000, months(['2026-01', 85_000, 85_000], ['2026-02', 85_000]));
    expect(plan.allocations).toEqual([{ assessmentId: 'a-2026-02', period: '2026-02', amountVnd: 85_000 }]);
    expect(plan.creditVnd).toBe(215_000);
  });

  it('an over-payment with nothing open is all credit; a zero-fee (exempt) month takes nothing', () => {
    expect(allocatePayment(50_000, months(['2026-03', 0]))).toEqual({ allocations: [], creditVnd: 50_000 });
    expect(openTotal(months(['2026-01', 85_000, 30_000], ['2026-02', 85_000]))).toBe(140_000);
  });

  it('refuses fractions of a dong', () => {
    expect(() => allocatePayment(10.5, [])).toThrow(RangeError);
  });
});

describe('reversal: takes back what its payment allocated and credited', () => {
  it('takes back the allocations, and the credit still carried', () => {
    const plan = reversePayment(
      [{ assessmentId: 'a-2026-01', period: '2026-01', amountVnd: 85_000 }],
      15_000,
      15_000,
      [],
    );
    expect(plan).toEqual({
      allocations: [{ assessmentId: 'a-2026-01', period: '2026-01', amountVnd: -85_000 }],
      creditDeltaVnd: -15_000,
    });
  });

  it('takes spent credit back from the newest months first', () => {
    // The payment credited 100,000; 85,000 of it since paid March, 15,000 still carried.
    const now = months(['2026-02', 85_000, 85_000], ['2026-03', 85_000, 85_000]);
    const plan = reversePayment(
      [{ assessmentId: 'a-2026-02', period: '2026-02', amountVnd: 85_000 }],
      100_000,
      15_000,
      now,
    );
    expect(plan.allocations).toEqual([
      { assessmentId: 'a-2026-02', period: '2026-02', amountVnd: -85_000 },
      { assessmentId: 'a-2026-03', period: '2026-03', amountVnd: -85_000 },
    ]);
    expect(plan.creditDeltaVnd).toBe(-15_000);
  });

  it('a lowered fee already paid releases the excess to credit', () => {
    expect(
      releaseExcess({ assessmentId: 'a', period: '2026-01', dueVnd: 85_000, allocatedVnd: 85_000 }, 0),
    ).toEqual({
      allocations: [{ assessmentId: 'a', period: '2026-01', amountVnd: -85_000 }],
      creditVnd: 85_000,
    });
    expect(
      releaseExcess({ assessmentId: 'a', period: '2026-01', dueVnd: 85_000, allocatedVnd: 20_000 }, 50_000)
        .creditVnd,
    ).toBe(0);
  });
});
