import { HttpStatus, SetMetadata } from '@nestjs/common';
import type { SqlStatement } from '../database/statements';
import { TypedProblemException } from '../http/problem-details';
import { currentRequestContext, type RequestContext } from '../observability/request-context';
import type { IdempotencyClaim } from './idempotency-store';

export const IDEMPOTENCY_IN_STATEMENT = 'platform:idempotency-in-statement';

/**
 * On a handler: it claims the request's Idempotency-Key in the statement that reads what it
 * changes, and completes it (stores the response) in the statement that writes the change
 * (aggregate write, readForChange / writeChange), instead of the interceptor's own claim before
 * and update after: two statements fewer per request. The interceptor still checks the key,
 * replays (the handler throws IdempotentReplay) and releases the key when the request fails.
 */
export const IdempotencyInStatement = (): MethodDecorator => SetMetadata(IDEMPOTENCY_IN_STATEMENT, true);

/** The Idempotency-Key of the request being served, left by the interceptor for the handler to claim. */
export interface PendingIdempotencyKey {
  scope: string;
  key: string;
  requestHash: string;
  ttlSeconds: number;
  /** Set once a statement has claimed the key (the interceptor releases it if the request then fails). */
  claimed: boolean;
  /** Set once the statement that made the change has stored the response too. */
  completed: boolean;
}

const pendingKeys = new WeakMap<RequestContext, PendingIdempotencyKey>();

export function leavePendingIdempotencyKey(context: RequestContext, pending: PendingIdempotencyKey): void {
  pendingKeys.set(context, pending);
}

/** The current request's key to claim in the handler's own statement, if it sent one. */
export function pendingIdempotencyKey(): PendingIdempotencyKey | undefined {
  const context = currentRequestContext();
  return context ? pendingKeys.get(context) : undefined;
}

/** Thrown by a handler whose claim found the request already answered: the interceptor replays it. */
export class IdempotentReplay extends Error {
  constructor(readonly answer: Extract<IdempotencyClaim, { kind: 'replay' }>) {
    super('idempotent replay');
  }
}

/** What a claim that is not ours means for the caller (the same answers as the interceptor's own claim). */
export function refuseUnlessClaimed(claim: IdempotencyClaim): void {
  switch (claim.kind) {
    case 'claimed':
      return;
    case 'replay':
      throw new IdempotentReplay(claim);
    case 'different-request':
      throw new TypedProblemException(
        'urn:backbone:problem:idempotency-key-reused',
        HttpStatus.CONFLICT,
        'This Idempotency-Key was already used with a different request body',
      );
    case 'in-progress':
      throw new TypedProblemException(
        'urn:backbone:problem:idempotency-key-in-progress',
        HttpStatus.CONFLICT,
        'A request with this Idempotency-Key is still being processed; retry later',
      );
  }
}

/**
 * The claim as a CTE named `idempotency_claim` (one row `claimed` when this request took the key:
 * a new key, or an expired one taken over) and `idempotency_earlier` (the key's row as it was
 * before, when not claimed), for the handler's read statement. Same rules as IdempotencyStore#claim:
 * of two concurrent first attempts exactly one claims.
 */
export function idempotencyClaimStatements(pending: PendingIdempotencyKey): SqlStatement[] {
  return [
    {
      name: 'idempotency_claim',
      sql: `INSERT INTO platform_idempotency_keys (scope, idempotency_key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in-progress', now() + make_interval(secs => $4))
       ON CONFLICT (scope, idempotency_key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in-progress', response_status = NULL,
             response_body = NULL, response_type = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE platform_idempotency_keys.expires_at < now()
       RETURNING true AS claimed`,
      params: [pending.scope, pending.key, pending.requestHash, pending.ttlSeconds],
    },
    {
      name: 'idempotency_earlier',
      sql: `SELECT request_hash, state, response_status, response_body, response_type
       FROM platform_idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
      params: [pending.scope, pending.key],
    },
  ];
}

/** The columns a read statement selects from the two CTEs above (prefixed, beside the row's own). */
export const IDEMPOTENCY_CLAIM_COLUMNS = `(SELECT claimed FROM idempotency_claim) AS idempotency_claimed,
  (SELECT request_hash FROM idempotency_earlier) AS idempotency_request_hash,
  (SELECT state FROM idempotency_earlier) AS idempotency_state,
  (SELECT response_status FROM idempotency_earlier) AS idempotency_response_status,
  (SELECT response_body FROM idempotency_earlier) AS idempotency_response_body,
  (SELECT response_type FROM idempotency_earlier) AS idempotency_response_type`;

/** The claim's outcome from a row with IDEMPOTENCY_CLAIM_COLUMNS. */
export function claimFromRow(pending: PendingIdempotencyKey, row: Record<string, unknown>): IdempotencyClaim {
  if (row.idempotency_claimed === true) return { kind: 'claimed' };
  // The row appeared after this statement's snapshot (a concurrent first attempt): still running.
  if (row.idempotency_request_hash === null || row.idempotency_request_hash === undefined)
    return { kind: 'in-progress' };
  if (row.idempotency_request_hash !== pending.requestHash) return { kind: 'different-request' };
  if (row.idempotency_state !== 'completed') return { kind: 'in-progress' };
  return {
    kind: 'replay',
    status: (row.idempotency_response_status as number | null) ?? 200,
    body: row.idempotency_response_body as string | null,
    contentType: row.idempotency_response_type as string | null,
  };
}

/**
 * Stores the response with the change (a CTE of the write statement, guarded by it like the
 * change's other rows): the key is completed exactly when the change commits.
 */
export function idempotencyCompletionStatement(
  pending: PendingIdempotencyKey,
  status: number,
  body: string | null,
  guard: string,
): SqlStatement {
  return {
    sql: `UPDATE platform_idempotency_keys
       SET state = 'completed', response_status = $3, response_body = $4, response_type = NULL
       WHERE scope = $1 AND idempotency_key = $2 AND EXISTS (SELECT 1 FROM ${guard})`,
    params: [pending.scope, pending.key, status, body],
  };
}
