import { Injectable } from '@nestjs/common';
import { type AuthenticatedUser, toCsv } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { cellScopeCondition, cellScopeOf } from '../cells/cell-scope';
import { ruleFor } from '../fee-rules/fee-rules';
import { FeeRuleTable } from '../fee-rules/fee-rule-table';
import { hanoiMonthRange } from '../fee-rules/period';
import { type CellMonth, cellMonth, totalOf, type Totals } from './reconciliation';

export interface Reconciliation {
  period: string;
  ruleCode: string;
  committeeShareBasisPoints: number;
  cells: CellMonth[];
  units: (Totals & { unitCode: string; cells: number })[];
  total: Totals;
}

/**
 * Reconciliation of a month per cell and per unit (the cell's current committee): assessed, paid,
 * outstanding, collected, retained, remitted — each cell's figure a sum of its ledger rows, each
 * unit's the sum of its cells', the total the sum of the units'. The caller sees its own cells.
 */
@Injectable()
export class ReconciliationHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly feeRules: FeeRuleTable,
  ) {}

  async month(period: string, user: AuthenticatedUser, unitCode?: string): Promise<Reconciliation> {
    const rule = ruleFor(period, this.feeRules.rules);
    const { start, end } = hanoiMonthRange(period);
    const params: unknown[] = [period, start, end];
    let where = cellScopeCondition(cellScopeOf(user), 'c', params);
    if (unitCode) {
      params.push(unitCode);
      where += ` AND c.unit_code = $${params.length}`;
    }
    const rows = (await this.dataSource.query(
      `WITH cells AS (SELECT c.id, c.code, c.unit_code FROM party_cells c WHERE ${where}),
        assessed AS (SELECT cell_id, sum(amount_vnd) AS v FROM party_fee_assessments WHERE period = $1 GROUP BY cell_id),
        adjusted AS (SELECT cell_id, sum(delta_vnd) AS v FROM party_fee_adjustments WHERE period = $1 GROUP BY cell_id),
        moved_in AS (SELECT to_cell_id AS cell_id, sum(amount_vnd) AS v FROM party_fee_arrears_moves WHERE period = $1 GROUP BY to_cell_id),
        moved_out AS (SELECT from_cell_id AS cell_id, sum(amount_vnd) AS v FROM party_fee_arrears_moves WHERE period = $1 GROUP BY from_cell_id),
        paid AS (SELECT cell_id, sum(amount_vnd) AS v FROM party_fee_allocations WHERE period = $1 GROUP BY cell_id),
        received AS (SELECT cell_id, sum(amount_vnd) AS v FROM party_fee_payments WHERE paid_at >= $2 AND paid_at < $3 GROUP BY cell_id),
        reversed AS (SELECT cell_id, sum(amount_vnd) AS v FROM party_fee_reversals WHERE reversed_at >= $2 AND reversed_at < $3 GROUP BY cell_id),
        remitted AS (SELECT cell_id, sum(amount_vnd) AS v FROM party_fee_remittances WHERE period = $1 GROUP BY cell_id)
       SELECT c.id, c.code, c.unit_code,
              coalesce(a.v, 0)::text AS assessed, coalesce(j.v, 0)::text AS adjusted,
              coalesce(mi.v, 0)::text AS moved_in, coalesce(mo.v, 0)::text AS moved_out,
              coalesce(p.v, 0)::text AS paid, (coalesce(r.v, 0) - coalesce(x.v, 0))::text AS collected,
              coalesce(t.v, 0)::text AS remitted
         FROM cells c
         LEFT JOIN assessed a ON a.cell_id = c.id LEFT JOIN adjusted j ON j.cell_id = c.id
         LEFT JOIN moved_in mi ON mi.cell_id = c.id LEFT JOIN moved_out mo ON mo.cell_id = c.id
         LEFT JOIN paid p ON p.cell_id = c.id LEFT JOIN received r ON r.cell_id = c.id
         LEFT JOIN reversed x ON x.cell_id = c.id LEFT JOIN remitted t ON t.cell_id = c.id
        ORDER BY c.unit_code, c.code`,
      params,
    )) as Record<
      | 'id'
      | 'code'
      | 'unit_code'
      | 'assessed'
      | 'adjusted'
      | 'moved_in'
      | 'moved_out'
      | 'paid'
      | 'collected'
      | 'remitted',
      string
    >[];
    const cells = rows.map((row) =>
      cellMonth(
        { cellId: row.id, cellCode: row.code, unitCode: row.unit_code },
        {
          assessedVnd: Number(row.assessed),
          adjustedVnd: Number(row.adjusted),
          movedInVnd: Number(row.moved_in),
          movedOutVnd: Number(row.moved_out),
          paidVnd: Number(row.paid),
          collectedVnd: Number(row.collected),
          remittedVnd: Number(row.remitted),
        },
        rule.committeeShareBasisPoints,
      ),
    );
    const byUnit = new Map<string, CellMonth[]>();
    for (const cell of cells) byUnit.set(cell.unitCode, [...(byUnit.get(cell.unitCode) ?? []), cell]);
    const units = [...byUnit].map(([code, list]) => ({
      unitCode: code,
      cells: list.length,
      ...totalOf(list),
    }));
    return {
      period,
      ruleCode: rule.code,
      committeeShareBasisPoints: rule.committeeShareBasisPoints,
      cells,
      units,
      total: totalOf(units),
    };
  }

  /** The same as CSV: one line per cell, then one per unit (`cellCode` = `*`), then the total. */
  async csv(period: string, user: AuthenticatedUser, unitCode?: string): Promise<string> {
    const r = await this.month(period, user, unitCode);
    const lines = [
      ...r.cells.map(({ cellId: _id, ...cell }) => ({ period, level: 'cell', ...cell })),
      ...r.units.map(({ cells: _n, ...unit }) => ({ period, level: 'unit', cellCode: '*', ...unit })),
      { period, level: 'total', cellCode: '*', unitCode: '*', ...r.total },
    ];
    return toCsv(lines);
  }
}
