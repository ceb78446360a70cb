import type { DataSource, EntityManager } from 'typeorm';
import type { OpenMonth } from './allocation';

export interface LedgerMonth extends OpenMonth {
  cellId: string;
  unitCode: string;
  ruleCode: string;
  /** As first assessed, before adjustments. */
  assessedVnd: number;
}

/**
 * A member's months: each assessment with its amount due now (the latest adjustment's amount, or
 * the assessment's) and what has been allocated to it (net). At most twelve rows a year.
 */
export async function memberMonths(db: DataSource | EntityManager, memberId: string): Promise<LedgerMonth[]> {
  const rows = (await db.query(
    `SELECT a.id, a.period, a.cell_id, a.unit_code, a.rule_code, a.amount_vnd::text AS assessed,
            coalesce((SELECT j.amount_vnd FROM party_fee_adjustments j WHERE j.assessment_id = a.id
                      ORDER BY j.adjusted_at DESC, j.id DESC LIMIT 1), a.amount_vnd)::text AS due,
            coalesce((SELECT sum(l.amount_vnd) FROM party_fee_allocations l WHERE l.assessment_id = a.id), 0)::text AS allocated
       FROM party_fee_assessments a WHERE a.member_id = $1 ORDER BY a.period`,
    [memberId],
  )) as {
    id: string;
    period: string;
    cell_id: string;
    unit_code: string;
    rule_code: string;
    assessed: string;
    due: string;
    allocated: string;
  }[];
  return rows.map((row) => ({
    assessmentId: row.id,
    period: row.period,
    cellId: row.cell_id,
    unitCode: row.unit_code,
    ruleCode: row.rule_code,
    assessedVnd: Number(row.assessed),
    dueVnd: Number(row.due),
    allocatedVnd: Number(row.allocated),
  }));
}
