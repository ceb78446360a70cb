import { splitCollected } from '../fee-rules/money';

/** One cell's month, every figure integer VND, each a sum of ledger rows. */
export interface CellMonth {
  cellId: string;
  cellCode: string;
  unitCode: string;
  /** Fees assessed for the month in this cell. */
  assessedVnd: number;
  /** Adjustments of the month's fees recorded in this cell (corrections, exemptions). */
  adjustedVnd: number;
  /** Open fees of the month that moved in with transferred members, and out with them. */
  movedInVnd: number;
  movedOutVnd: number;
  /** Money allocated to the month's fees (payments and carried credit, net of take-backs). */
  paidVnd: number;
  /** assessed + adjusted + movedIn − movedOut − paid: what the month's fees still owe here. */
  outstandingVnd: number;
  /** Money received in the month (Asia/Ho_Chi_Minh) net of reversals in it. */
  collectedVnd: number;
  /** The cell's share of collected; the committee's is collected − retained. */
  retainedVnd: number;
  committeeShareVnd: number;
  /** What the cell recorded sending its committee for the month. */
  remittedVnd: number;
}

export type Totals = Omit<CellMonth, 'cellId' | 'cellCode' | 'unitCode'>;

const FIGURES: (keyof Totals)[] = [
  'assessedVnd',
  'adjustedVnd',
  'movedInVnd',
  'movedOutVnd',
  'paidVnd',
  'outstandingVnd',
  'collectedVnd',
  'retainedVnd',
  'committeeShareVnd',
  'remittedVnd',
];

/** A cell's month from its ledger sums: derived figures computed, the split by the month's rule. */
export function cellMonth(
  cell: { cellId: string; cellCode: string; unitCode: string },
  sums: Pick<
    CellMonth,
    'assessedVnd' | 'adjustedVnd' | 'movedInVnd' | 'movedOutVnd' | 'paidVnd' | 'collectedVnd' | 'remittedVnd'
  >,
  committeeBasisPoints: number,
): CellMonth {
  const split = splitCollected(sums.collectedVnd, committeeBasisPoints);
  return {
    ...cell,
    ...sums,
    outstandingVnd: sums.assessedVnd + sums.adjustedVnd + sums.movedInVnd - sums.movedOutVnd - sums.paidVnd,
    retainedVnd: split.retainedVnd,
    committeeShareVnd: split.committeeVnd,
  };
}

/** Sums of rows, never recomputed: a unit's figures are exactly its cells', the city's its units'. */
export function totalOf(rows: readonly Totals[]): Totals {
  const total = Object.fromEntries(FIGURES.map((f) => [f, 0])) as Totals;
  for (const row of rows) for (const f of FIGURES) total[f] += row[f];
  return total;
}
