import { addMonths } from '../fee-rules/period';

/** Three unexcused unpaid months within twelve are grounds for removal (both regulations). */
export const ARREARS_MONTHS = 3;
export const ARREARS_WINDOW_MONTHS = 12;

/** The twelve months ending with `asOfPeriod`. */
export function arrearsWindow(asOfPeriod: string): { from: string; to: string } {
  return { from: addMonths(asOfPeriod, -(ARREARS_WINDOW_MONTHS - 1)), to: asOfPeriod };
}

/**
 * Whether a member's months make an arrears case: the months of the window still owing (an exempt
 * month is excused and owes nothing), at least three of them.
 */
export function arrearsCase(
  months: readonly { period: string; openVnd: number; exempt: boolean }[],
  asOfPeriod: string,
): { unpaidPeriods: string[]; outstandingVnd: number } | null {
  const { from, to } = arrearsWindow(asOfPeriod);
  const unpaid = months
    .filter((m) => m.period >= from && m.period <= to && m.openVnd > 0 && !m.exempt)
    .sort((a, b) => (a.period < b.period ? -1 : 1));
  if (unpaid.length < ARREARS_MONTHS) return null;
  return {
    unpaidPeriods: unpaid.map((m) => m.period),
    outstandingVnd: unpaid.reduce((s, m) => s + m.openVnd, 0),
  };
}
