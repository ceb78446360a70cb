import type { CloudEvent } from '@backbone/contracts';
import { uuidv7 } from '@backbone/contracts';
import { addToOutbox, outboxInsertStatement } from '@backbone/messaging';
import {
  type AuditEntry,
  type AuditTrail,
  insertStatement,
  pendingIdempotencyKey,
  readForChange,
  runOutsideRequestContext,
  type SqlStatement,
  TypedProblemException,
  writeChange,
} from '@backbone/platform';
import { HttpStatus } from '@nestjs/common';
import type { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
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
  /**
   * Other rows the change writes beside the dossier's (single-row INSERTs from insertStatement, e.g.
   * a result document): written exactly when the dossier's row is.
   */
  rows?: SqlStatement[];
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
  for (const row of change.rows ?? []) await manager.query(row.sql, row.params);
  await addToOutbox(manager, change.events, { topic: context.topic });
  await context.auditTrail.record(manager, {
    ...change.audit,
    targetType: 'dossier',
    targetId: dossier.id,
    unitCode: dossier.unitCode,
  });
}

/** Reads of a dossier that changed between its read and its write before giving up (409). */
const MAX_ATTEMPTS = 3;

export interface AnsweredChange<R> {
  /** The caller's answer, built from the dossier as changed (stored with an Idempotency-Key). */
  answer: (dossier: Dossier, change: DossierChange) => R;
  /** Its HTTP status, stored with the key for a replay. */
  status: number;
}

/**
 * The write path of a live request (a transition): the same rule and the same rows as
 * changeDossier — the dossier's row, history, events in the outbox, audit record — in two
 * statements that commit by themselves instead of a locked transaction of ten (platform's aggregate
 * write, readForChange / writeChange):
 *   1. the dossier, with the request's Idempotency-Key claimed in the same statement;
 *   2. `decide` (the state machine's rule) on it, then ONE statement that updates the row only if
 *      it is still the version read (PostgreSQL's xmin, so a derived notice or a recorded signature
 *      counts as a change too), and only then inserts the history row, each event and the audit
 *      record and stores the answer with the key.
 * When the dossier changed in between, nothing was written: it is read and decided again (a
 * transition that expected the old version is then refused with 409 by `decide`).
 * Returns the answer, or null when there is no such dossier (or the caller may not write it) or
 * nothing to write.
 */
export async function changeDossierInOneStatement<R>(
  dataSource: DataSource,
  id: string,
  mayWrite: (dossier: Dossier) => boolean,
  decide: (dossier: Dossier) => DossierChange | null,
  respond: AnsweredChange<R>,
  context: DossierWriteContext,
): Promise<R | null> {
  const pending = pendingIdempotencyKey();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const claim = attempt === 0 && pending ? { idempotency: pending } : {};
    const { row } = await readForChange(dataSource, Dossier, id, claim);
    if (!row || !mayWrite(row.entity)) return null;
    const dossier = row.entity;
    const change = decide(dossier);
    if (!change) return null;
    const answer = respond.answer(dossier, change);
    const audit = context.auditTrail.prepareRecord({
      ...change.audit,
      targetType: 'dossier',
      targetId: dossier.id,
      unitCode: dossier.unitCode,
    });
    const alongside: SqlStatement[] = [];
    if (change.history) {
      const history = insertStatement(dataSource.manager, DossierHistoryEntry, [
        { id: uuidv7(), dossierId: dossier.id, ...change.history },
      ]);
      if (history) alongside.push(history);
    }
    alongside.push(...(change.rows ?? []));
    // One INSERT per event: each is written only if the dossier's row was (guarded inserts).
    for (const event of change.events)
      alongside.push(outboxInsertStatement([event], { topic: context.topic }));
    alongside.push(...audit.statements);
    const written = await writeChange(dataSource, Dossier, row, {
      alongside,
      ...(pending ? { idempotency: { pending, status: respond.status, body: JSON.stringify(answer) } } : {}),
    });
    if (written) {
      // Marks the request audited; the chain linker's pass it wakes is background work, not the request's.
      runOutsideRequestContext(() => audit.committed());
      return answer;
    }
  }
  throw new TypedProblemException(
    'urn:backbone:problem:dossier-version-conflict',
    HttpStatus.CONFLICT,
    'The dossier kept changing while this change was being made: reload it and decide again',
  );
}
