import { OPEN_DOSSIER_STATUSES } from '@backbone/contracts';
import { Gauge, register } from 'prom-client';
import type { DataSource } from 'typeorm';

export const OVERDUE_OPEN_GAUGE = 'dossiers_overdue_open';

/** The gauge behind the alert OverdueDossiersRising (infra/monitoring): one per process, 0 until counted. */
export function overdueOpenGauge(): Gauge {
  const existing = register.getSingleMetric(OVERDUE_OPEN_GAUGE);
  if (existing) return existing as Gauge;
  return new Gauge({
    name: OVERDUE_OPEN_GAUGE,
    help: 'Dossiers reported overdue and still open (not resolved, returned, withdrawn or stopped), counted after each overdue scan',
    registers: [register],
  });
}

/** Counts the open overdue dossiers (served by the partial index `dossiers_overdue_open`). */
export async function countOpenOverdue(dataSource: DataSource): Promise<number> {
  const [row]: { open: number }[] = await dataSource.query(
    `SELECT count(*)::int AS open FROM dossiers
     WHERE overdue_notified_at IS NOT NULL AND status = ANY($1::text[])`,
    [OPEN_DOSSIER_STATUSES],
  );
  return row?.open ?? 0;
}
