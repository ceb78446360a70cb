import type { CloudEvent } from '@backbone/contracts';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import type { AuditEntry, AuditTrail } from '@backbone/platform';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { Dossier, DossierHistoryEntry } from '../database/dossier.entities';
import type { NewHistoryEntry } from './apply-transition';

/**
 * What one change of a dossier writes beside the dossier's row, decided before anything is
 * written (by applyPlannedTransition, or recordSignature): all of it commits together.
 */
export interface DossierChange {
  /** A transition's history row; none for a derived notice (overdue) or a recorded signature. */
  history?: NewHistoryEntry;
  /** Its events (dossier.events.v1), already numbered after the dossier's last event. */
  events: CloudEvent[];
  /** The audit record: `dossier.<action>`, and who acted when not the caller of a request. */
  audit: Pick<AuditEntry, 'action' | 'actor'>;
}

/** Where a change's events go and what records it. */
export interface DossierWriteContext {
  topic: string;
  auditTrail: AuditTrail;
}

/**
 * The default write path of the dossier aggregate, for every change after creation (a live
 * transition, the overdue notice, a recorded signature): inside the caller's transaction, load the
 * dossier under a row lock, let `decide` apply the state machine's rule to it (it throws to refuse,
 * or returns null when there is nothing to write), then write the change with writeDossierChange.
 * Creation alone takes another path, group commit (ADR 0009).
 *
 * Returns the changed dossier, or null when there is no such dossier or nothing was written.
 */
export async function changeDossier(
  manager: EntityManager,
  where: FindOptionsWhere<Dossier>,
  decide: (dossier: Dossier) => DossierChange | null,
  context: DossierWriteContext,
): Promise<{ dossier: Dossier; change: DossierChange } | null> {
  const dossier = await lockDossier(manager, where);
  if (!dossier) return null;
  const change = decide(dossier);
  if (!change) return null;
  await writeDossierChange(manager, dossier, change, context);
  return { dossier, change };
}

/** The dossier, locked until the transaction ends: of two changes, the second sees the first's result. */
export function lockDossier(
  manager: EntityManager,
  where: FindOptionsWhere<Dossier>,
): Promise<Dossier | null> {
  return manager.findOne(Dossier, { where, lock: { mode: 'pessimistic_write' } });
}

/**
 * Writes a decided change: the dossier's row, its history row, its events (addToOutbox) and the
 * audit record, in the caller's transaction. It takes the whole change at once so that it can
 * become fewer statements (e.g. the row update guarded by its version, the history, outbox and
 * audit rows as CTEs of one statement, `auditTrail.record(…, { alongside })`) without touching
 * its callers.
 */
export async function writeDossierChange(
  manager: EntityManager,
  dossier: Dossier,
  change: DossierChange,
  context: DossierWriteContext,
): Promise<void> {
  await manager.save(Dossier, dossier, { reload: false });
  if (change.history) {
    await manager.insert(DossierHistoryEntry, { id: uuidv7(), dossierId: dossier.id, ...change.history });
  }
  await addToOutbox(manager, change.events, { topic: context.topic });
  await context.auditTrail.record(manager, {
    ...change.audit,
    targetType: 'dossier',
    targetId: dossier.id,
    unitCode: dossier.unitCode,
  });
}
