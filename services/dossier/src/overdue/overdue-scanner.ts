import type { AuditEntry, AuditTrail } from '@backbone/platform';
import { type DataSource, In } from 'typeorm';
import { Dossier } from '../database/dossier.entities';
import { DOSSIER_TRANSITIONS, isOverdue, planTransition } from '../dossier';
import { applyPlannedTransition, buildPendingEvents } from '../dossier/apply-transition';
import { type DossierChange, writeDossierChange } from '../dossier/change-dossier';
import { returningRows } from '../dossier/returning-rows';

/** The statuses the state machine reports overdue from (its `report-overdue` rule), for the claim. */
const REPORTABLE_STATUSES = DOSSIER_TRANSITIONS.filter((rule) => rule.action === 'report-overdue').flatMap(
  (rule) => rule.from,
);

const SCANNER: NonNullable<AuditEntry['actor']> = {
  subject: 'dossier-overdue-scheduler',
  roles: ['service'],
  unitCodes: [],
};

/**
 * Claims dossiers that are overdue and not yet reported, and reports each through the aggregate's
 * write path (the state machine's `report-overdue` rule, then the dossier, `dossier.overdue.v1` in
 * the outbox and the audit record), all in one transaction. `FOR UPDATE SKIP LOCKED` lets several
 * instances scan at once without waiting for or double-claiming each other's rows; the claim is
 * re-checked under the row lock (not yet reported, `isOverdue`, and the rule's statuses), so a
 * dossier is reported exactly once, across restarts too. A row locked by a transition in flight is
 * skipped and picked up on the next scan. The claim's condition is isOverdue's, in SQL, so that the
 * partial index `dossiers_overdue_scan` serves it.
 */
export async function scanOverdueOnce(
  dataSource: DataSource,
  options: { topic: string; auditTrail: AuditTrail; batchSize?: number; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  return dataSource.transaction(async (manager) => {
    const claimed = returningRows<{ id: string }>(
      await manager.query(
        `SELECT id FROM dossiers
         WHERE overdue_notified_at IS NULL AND status = ANY($3::text[])
           AND due_at < CASE WHEN status = 'supplement-requested' AND paused_at IS NOT NULL
                             THEN LEAST(paused_at, $1) ELSE $1 END
         ORDER BY due_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [now, options.batchSize ?? 500, REPORTABLE_STATUSES],
      ),
    );
    if (claimed.length === 0) return 0;
    // Already locked by the claim: this reads them as they are under the lock.
    const dossiers = await manager.find(Dossier, {
      where: { id: In(claimed.map((row) => row.id)) },
      order: { dueAt: 'ASC' },
    });
    let reported = 0;
    for (const dossier of dossiers) {
      const change = overdueNotice(dossier, now);
      if (!change) continue;
      await writeDossierChange(manager, dossier, change, options);
      reported += 1;
    }
    return reported;
  });
}

/** The overdue notice of a dossier, if it is overdue, not yet reported, and the rule allows it. */
function overdueNotice(dossier: Dossier, now: Date): DossierChange | null {
  if (dossier.overdueNotifiedAt !== null || !isOverdue(dossier, now)) return null;
  const plan = planTransition(dossier.status, 'report-overdue', { role: 'service' });
  if (!plan.ok) return null;
  const { events } = applyPlannedTransition(
    dossier,
    { ...plan, role: 'service' },
    { at: now, actorSubject: SCANNER.subject, details: {} },
  );
  return {
    events: buildPendingEvents(dossier, events),
    audit: { action: 'dossier.report-overdue', actor: SCANNER },
  };
}
