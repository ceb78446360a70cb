import { OPEN_DOSSIER_STATUSES } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import type { AuditTrail } from '@backbone/platform';
import { type DataSource, In } from 'typeorm';
import { Dossier } from '../database/dossier.entities';
import { buildDossierEvents } from '../shared/dossier-events.factory';
import { returningRows } from '../shared/returning-rows';

/** The contracts' open statuses as an SQL list (fixed literals: nothing to escape). */
const ACTIVE = `(${OPEN_DOSSIER_STATUSES.map((status) => `'${status}'`).join(',')})`;

/**
 * Claims dossiers that are overdue and not yet reported, marks them, and puts `dossier.overdue.v1`
 * in the outbox, all in one transaction. `FOR UPDATE SKIP LOCKED` lets several instances scan at
 * once without waiting for or double-claiming each other's rows; `overdue_notified_at IS NULL` is
 * re-checked under the row lock, so a dossier is reported exactly once, across restarts too. A
 * row locked by a transition in flight is skipped and picked up on the next scan.
 */
export async function scanOverdueOnce(
  dataSource: DataSource,
  options: { topic: string; auditTrail?: AuditTrail; batchSize?: number; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  return dataSource.transaction(async (manager) => {
    const claimed = returningRows<{ id: string }>(
      await manager.query(
        `WITH due AS (
         SELECT id FROM dossiers
         WHERE overdue_notified_at IS NULL AND status IN ${ACTIVE}
           AND due_at < CASE WHEN status = 'supplement-requested' AND paused_at IS NOT NULL
                             THEN LEAST(paused_at, $1) ELSE $1 END
         ORDER BY due_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE dossiers d SET overdue_notified_at = $1, event_sequence = d.event_sequence + 1
       FROM due WHERE d.id = due.id
       RETURNING d.id`,
        [now, options.batchSize ?? 500],
      ),
    );
    if (claimed.length === 0) return 0;
    const dossiers = await manager.find(Dossier, { where: { id: In(claimed.map((row) => row.id)) } });
    const events = dossiers.flatMap((dossier) =>
      buildDossierEvents(
        dossier,
        ['dossier.overdue.v1'],
        { at: now, detectedAt: now },
        dossier.eventSequence,
      ),
    );
    await addToOutbox(manager, events, { topic: options.topic });
    if (options.auditTrail) {
      for (const dossier of dossiers) {
        await options.auditTrail.record(manager, {
          action: 'dossier.report-overdue',
          targetType: 'dossier',
          targetId: dossier.id,
          unitCode: dossier.unitCode,
          actor: { subject: 'dossier-overdue-scheduler', roles: ['service'], unitCodes: [] },
        });
      }
    }
    return dossiers.length;
  });
}
