import { HttpStatus } from '@nestjs/common';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { AuditEntry, AuditTrail } from '../audit/audit-trail';
import { TypedProblemException } from '../http/problem-details';
import { pendingIdempotencyKey } from '../idempotency/idempotency-in-statement';
import { runOutsideRequestContext } from '../observability/request-context';
import { readForChange, writeChange } from './aggregate-write';
import type { SqlStatement } from './statements';

/** What a rule decided for one aggregate: the rows beside it, its audit record, the caller's answer. */
export interface AggregateChange<R> {
  /**
   * The change's other rows, each a single-row `INSERT … VALUES (…)`: a history entry
   * (`insertStatement`), each event (`outboxInsertStatement([event], …)` from @backbone/messaging,
   * one statement per event). They are written only if the aggregate's row is.
   */
  alongside: SqlStatement[];
  /** The audit record of the change (the caller is taken from the request context). */
  audit: AuditEntry;
  /** What the request answers; stored with the Idempotency-Key when the request sent one. */
  answer: R;
}

export interface ChangeAggregateOptions<E, R> {
  auditTrail: AuditTrail;
  /**
   * Whether the caller may change this row at all (its unit scope), checked on the row as read
   * before the rule runs. False: nothing is written and changeAggregate answers undefined, as
   * for a missing row, so the caller answers 404 and the id reveals nothing. Default: may.
   */
  mayChange?(entity: E): boolean;
  /**
   * The rule, without I/O: decides on the row as read (mutating the entity it is given) and
   * returns the change, or throws a problem (4xx) to refuse — then nothing is written but the
   * Idempotency-Key's claim, which the interceptor releases. It returns null when there is
   * nothing to do (a job finding the work already done): nothing is written and
   * changeAggregate answers undefined. It may run more than once: when another change of the
   * same row commits first, the row is read again and the rule decides again on the new version.
   */
  decide(entity: E): AggregateChange<R> | null;
  /** The HTTP status the answer is given with (stored with the Idempotency-Key). Default 200. */
  status?: number;
  /** The problem type and text of the 409 when the row keeps changing under the rule. */
  conflict?: { type: string; detail: string };
}

const MAX_ATTEMPTS = 3;

/**
 * A state change of an existing aggregate in two statements (libs/platform aggregate-write):
 * read the row with its version (claiming the request's Idempotency-Key in the same statement
 * when the route is `@IdempotencyInStatement()`), let the rule decide, then write the changed
 * columns guarded by the version read together with the history, events, audit record and the
 * stored response. Every guarantee of a locked read-decide-write transaction holds: the event
 * and the audit record exist exactly when the change does, two concurrent changes never both
 * apply to the same version, and a retried request is answered from its key.
 *
 * Returns undefined, having written nothing, when there is no row with this id (the caller
 * answers 404), when `mayChange` refuses the row, or when the rule decides there is nothing to do.
 */
export async function changeAggregate<E extends ObjectLiteral, R>(
  dataSource: DataSource,
  target: EntityTarget<E>,
  id: unknown,
  options: ChangeAggregateOptions<E, R>,
): Promise<R | undefined> {
  const pending = pendingIdempotencyKey();
  const status = options.status ?? HttpStatus.OK;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    // The key is claimed by the first read only: a second attempt is the same request.
    const claim = attempt === 0 && pending ? { idempotency: pending } : {};
    const { row } = await readForChange(dataSource, target, id, claim);
    if (!row) return undefined;
    if (options.mayChange && !options.mayChange(row.entity)) return undefined;
    const change = options.decide(row.entity);
    if (!change) return undefined;
    const audit = options.auditTrail.prepareRecord(change.audit);
    const written = await writeChange(dataSource, target, row, {
      alongside: [...change.alongside, ...audit.statements],
      ...(pending ? { idempotency: { pending, status, body: JSON.stringify(change.answer) } } : {}),
    });
    if (written) {
      // Marks the request audited; the chain linker it wakes is background work, not the request's.
      runOutsideRequestContext(() => audit.committed());
      return change.answer;
    }
  }
  const conflict = options.conflict ?? {
    type: 'urn:backbone:problem:aggregate-version-conflict',
    detail: 'The record kept changing while this change was being made: reload it and decide again',
  };
  throw new TypedProblemException(conflict.type, HttpStatus.CONFLICT, conflict.detail);
}
