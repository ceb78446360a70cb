import type { ReportSlaStage } from '@backbone/contracts';
import type { WorkingCalendarRules } from '@backbone/calendar';
import { type AuditTrail, changeAggregate } from '@backbone/platform';
import type { DataSource } from 'typeorm';
import type { HandlingLimit } from '../report/report-sla';
import { applyReportStep } from '../report/report-lifecycle';
import { SYSTEM_ACTOR } from '../report/report-actor';
import { numberReportEvents } from '../report/report-events';
import { REPORT_VERSION_CONFLICT, reportChange } from '../report/report-change';
import { Report } from '../report/report.entity';

export interface OverdueScanOptions {
  topic: string;
  auditTrail: AuditTrail;
  rules: WorkingCalendarRules;
  limits: readonly HandlingLimit[];
  cityUnitCode: string;
  now?: Date;
  batchSize?: number;
}

/**
 * Publishes report.overdue.v1 once per breached deadline: finds reports whose current acceptance or
 * handling deadline has passed and was not reported yet (the partial indexes serve it), then
 * reports each through the aggregate write path: the state machine's `report-overdue` step marks
 * the deadline as reported in the same guarded statement that writes the event. Two instances (or a
 * restart) that find the same report both decide on the row they read; the second's write matches
 * nothing (the row changed), it reads again and sees the deadline reported. So exactly once.
 */
export async function scanOverdueReports(
  dataSource: DataSource,
  options: OverdueScanOptions,
): Promise<number> {
  const now = options.now ?? new Date();
  const due: { id: string; stage: ReportSlaStage }[] = await dataSource.query(
    `(SELECT id, 'acceptance' AS stage FROM reports
       WHERE status = 'received' AND acceptance_overdue_notified_for IS DISTINCT FROM acceptance_due_at
         AND acceptance_due_at < $1 ORDER BY acceptance_due_at LIMIT $2)
     UNION ALL
     (SELECT id, 'handling' FROM reports
       WHERE status IN ('accepted', 'assigned', 'in-progress')
         AND handling_overdue_notified_for IS DISTINCT FROM handling_due_at
         AND handling_due_at < $1 ORDER BY handling_due_at LIMIT $2)`,
    [now, options.batchSize ?? 500],
  );
  let reported = 0;
  for (const { id, stage } of due) {
    const written = await changeAggregate(dataSource, Report, id, {
      auditTrail: options.auditTrail,
      decide: (report) => {
        const outcome = applyReportStep(report, { action: 'report-overdue', stage }, SYSTEM_ACTOR, {
          now,
          rules: options.rules,
          limits: options.limits,
          cityUnitCode: options.cityUnitCode,
        });
        if (!outcome.ok) return null; // already reported, or no longer due (accepted meanwhile)
        const numbered = numberReportEvents(report, outcome.events, SYSTEM_ACTOR, now);
        return reportChange(dataSource.manager, report, numbered, {
          topic: options.topic,
          audit: {
            action: 'hotline.report.report-overdue',
            actor: { subject: SYSTEM_ACTOR.subject, roles: ['service'], unitCodes: [] },
          },
          answer: true,
        });
      },
      conflict: REPORT_VERSION_CONFLICT,
    });
    if (written) reported += 1;
  }
  return reported;
}
