import { HttpStatus } from '@nestjs/common';
import { outboxInsertStatement } from '@backbone/messaging';
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
import type { CloudEvent } from '@backbone/contracts';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** What one change of an aggregate (a report, a call) writes beside its row, decided before anything is written. */
export interface AggregateChange {
  events: CloudEvent[];
  /** History rows (entities of `historyTarget`); none for a call. */
  history: ObjectLiteral[];
  /** `hotline.report.<action>`, and who acted when not the caller of a request (the scheduler). */
  audit: Pick<AuditEntry, 'action' | 'actor'>;
}

export interface AggregateWriteContext {
  topic: string;
  auditTrail: AuditTrail;
}

export interface AggregateTarget<E extends ObjectLiteral> {
  entity: EntityTarget<E>;
  /** The audit record's target type: `report`, `call`. */
  type: string;
  historyEntity?: EntityTarget<ObjectLiteral>;
  /** The tenant of the audit record. */
  unitCodeOf: (row: E) => string;
}

const MAX_ATTEMPTS = 3;

/**
 * The one write path of the service's aggregates (reports, calls) for every change after creation (libs/platform's
 * aggregate write, as services/dossier's changeDossierInOneStatement):
 *   1. readForChange: the report, with the request's Idempotency-Key claimed in the same statement;
 *   2. `decide` applies the state machine to it (it throws to refuse, or returns null: nothing to do);
 *   3. writeChange: ONE statement that updates the row only if it is still the version read
 *      (PostgreSQL's xmin) and, guarded by that update, inserts the history rows, each event into the
 *      outbox and the audit record, and stores the answer with the key.
 * A concurrent change in between makes the write match nothing: read and decide again. So two
 * scheduler instances reporting the same breach write it once (the second decides "already
 * reported" on the row the first wrote). Returns null when there is no such report (or the caller
 * may not see it) or nothing to write.
 */
export async function changeAggregate<E extends ObjectLiteral, R>(
  dataSource: DataSource,
  target: AggregateTarget<E>,
  id: string,
  mayWrite: (row: E) => boolean,
  decide: (row: E) => AggregateChange | null,
  respond: { answer: (row: E) => R; status: number },
  context: AggregateWriteContext,
): Promise<R | null> {
  const pending = pendingIdempotencyKey();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const claim = attempt === 0 && pending ? { idempotency: pending } : {};
    const { row } = await readForChange(dataSource, target.entity, id, claim);
    if (!row || !mayWrite(row.entity)) return null;
    const aggregate = row.entity;
    const change = decide(aggregate);
    if (!change) return null;
    const answer = respond.answer(aggregate);
    const audit = context.auditTrail.prepareRecord({
      ...change.audit,
      targetType: target.type,
      targetId: id,
      unitCode: target.unitCodeOf(aggregate),
    });
    const alongside: SqlStatement[] = [];
    for (const entry of change.history) {
      if (!target.historyEntity) throw new Error(`${target.type} has no history`);
      const statement = insertStatement(dataSource.manager, target.historyEntity, [entry]);
      if (statement) alongside.push(statement);
    }
    for (const event of change.events)
      alongside.push(outboxInsertStatement([event], { topic: context.topic }));
    alongside.push(...audit.statements);
    const written = await writeChange(dataSource, target.entity, row, {
      alongside,
      ...(pending ? { idempotency: { pending, status: respond.status, body: JSON.stringify(answer) } } : {}),
    });
    if (written) {
      runOutsideRequestContext(() => audit.committed());
      return answer;
    }
  }
  throw new TypedProblemException(
    `urn:backbone:problem:${target.type}-version-conflict`,
    HttpStatus.CONFLICT,
    `The ${target.type} kept changing while this change was being made: reload it and decide again`,
  );
}
