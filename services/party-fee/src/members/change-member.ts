import { HttpStatus } from '@nestjs/common';
import type { CloudEvent } from '@backbone/contracts';
import { outboxInsertStatement } from '@backbone/messaging';
import {
  type AuditEntry,
  type AuditTrail,
  pendingIdempotencyKey,
  readForChange,
  runOutsideRequestContext,
  type SqlStatement,
  TypedProblemException,
  writeChange,
} from '@backbone/platform';
import { type DataSource, QueryFailedError } from 'typeorm';
import { PartyMember } from './member.entities';

/**
 * What one change of a member writes beside the member's row, decided before anything is written:
 * all of it commits in the same statement (a payment and its allocations and receipt, a reversal, a
 * transfer and its arrears moves, a corrected basis and its adjustments), or none of it.
 */
export interface MemberChange<R> {
  /** Single-row INSERTs (insertStatement of one entity each): written only if the member's row is. */
  rows: SqlStatement[];
  /** The member's events, numbered after `member.eventSequence` (which `decide` advanced). */
  events: CloudEvent[];
  audit: Pick<AuditEntry, 'action' | 'actor'> & { targetType?: string; targetId?: string; unitCode: string };
  /** What the caller answers (stored with the Idempotency-Key, replayed on a retry). */
  answer: R;
}

export interface MemberWriteContext {
  dataSource: DataSource;
  topic: string;
  auditTrail: AuditTrail;
}

/** Reads and writes before answering 409: a member paid from many places at once settles quickly. */
const MAX_ATTEMPTS = 8;

/** Unique constraints whose violation means "another change won the race, decide again". */
const RETRYABLE_CONSTRAINTS = new Set(['party_fee_payments_receipt']);

/**
 * The one write path of an existing member (platform's aggregate write, as services/dossier's
 * changeDossierInOneStatement): read the member (claiming the request's Idempotency-Key in the same
 * statement), let `decide` apply the rule (it may read the member's fees; it throws to refuse, or
 * returns null for nothing to write), then ONE statement updates the member's row only if it is
 * still the version read and, guarded by that update, inserts the change's rows, its events (outbox)
 * and its audit record, and stores the answer with the key. A concurrent change of the same member
 * makes the update match nothing: read and decide again. So two payments of one member never pay the
 * same month twice, and a retried request is answered from the key, never recorded twice.
 *
 * Returns the answer, or null when there is no such member (or the caller may not see it).
 */
export async function changeMember<R>(
  context: MemberWriteContext,
  memberId: string,
  mayWrite: (member: PartyMember) => Promise<boolean> | boolean,
  decide: (member: PartyMember) => Promise<MemberChange<R> | null>,
  status = HttpStatus.CREATED,
): Promise<R | null> {
  const { dataSource } = context;
  const pending = pendingIdempotencyKey();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const claim = pending && !pending.claimed ? { idempotency: pending } : {};
    const { row } = await readForChange(dataSource, PartyMember, memberId, claim);
    if (!row || !(await mayWrite(row.entity))) return null;
    const change = await decide(row.entity);
    if (!change) return null;
    const audit = context.auditTrail.prepareRecord({
      action: change.audit.action,
      ...(change.audit.actor ? { actor: change.audit.actor } : {}),
      targetType: change.audit.targetType ?? 'party-member',
      targetId: change.audit.targetId ?? memberId,
      unitCode: change.audit.unitCode,
    });
    const alongside: SqlStatement[] = [...change.rows];
    for (const event of change.events)
      alongside.push(outboxInsertStatement([event], { topic: context.topic }));
    alongside.push(...audit.statements);
    let written: boolean;
    try {
      written = await writeChange(dataSource, PartyMember, row, {
        alongside,
        ...(pending ? { idempotency: { pending, status, body: JSON.stringify(change.answer) } } : {}),
      });
    } catch (error) {
      if (isRetryableConflict(error)) {
        await pause(attempt);
        continue;
      }
      throw error;
    }
    if (written) {
      runOutsideRequestContext(() => audit.committed());
      return change.answer;
    }
    await pause(attempt);
  }
  throw new TypedProblemException(
    'urn:backbone:problem:party-member-busy',
    HttpStatus.CONFLICT,
    'The member kept changing while this change was being made: try again',
  );
}

function isRetryableConflict(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && RETRYABLE_CONSTRAINTS.has(driverError.constraint ?? '');
}

/** A short random pause after a lost race, growing with the attempts, so racers spread out. */
function pause(attempt: number): Promise<void> {
  if (attempt === 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(attempt, 5)));
}
