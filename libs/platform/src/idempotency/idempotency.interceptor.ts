import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, type Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { requestContextOf } from '../observability/request-context-hook';
import {
  IDEMPOTENCY_IN_STATEMENT,
  IdempotentReplay,
  leavePendingIdempotencyKey,
  type PendingIdempotencyKey,
  refuseUnlessClaimed,
} from './idempotency-in-statement';
import { IdempotencyStore, requestHashOf } from './idempotency-store';

export const IDEMPOTENCY_TTL_SECONDS = Symbol('IDEMPOTENCY_TTL_SECONDS');
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the first response is stored and replayed for a retry with the same
 * key and body (marked `Idempotent-Replayed: true`); the same key with another body is a 409.
 * Keys are scoped to the caller and the path. A failed attempt releases its key so the retry runs.
 * A handler marked @IdempotencyInStatement() claims and completes the key in its own statements
 * (aggregate write): the interceptor leaves the key to it, replays when it throws IdempotentReplay,
 * and releases the key when the request fails after the claim.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_TTL_SECONDS) private readonly ttlSeconds: number,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = `${request.user?.subject ?? 'anonymous'} POST ${request.url.split('?')[0]}`;
    const requestHash = requestHashOf(request.body);

    if (this.reflector.get<boolean>(IDEMPOTENCY_IN_STATEMENT, context.getHandler())) {
      const requestContext = requestContextOf(request);
      if (requestContext) {
        const pending: PendingIdempotencyKey = {
          scope,
          key,
          requestHash,
          ttlSeconds: this.ttlSeconds,
          claimed: false,
          completed: false,
        };
        leavePendingIdempotencyKey(requestContext, pending);
        return this.handleClaimedInStatement(next, request, reply, pending);
      }
    }

    return from(this.store.claim(scope, key, requestHash, this.ttlSeconds)).pipe(
      mergeMap((claim) => {
        // Anything but our own claim answers here: a replay (thrown, answered below), or a 409.
        refuseUnlessClaimed(claim);
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.store.complete(
              scope,
              key,
              reply.statusCode,
              body === undefined ? null : JSON.stringify(body),
              null,
            );
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.store.release(scope, key);
            throw error;
          }),
        );
      }),
      catchError((error: unknown) => {
        if (error instanceof IdempotentReplay) return of(replay(request, reply, error));
        throw error;
      }),
    );
  }

  private handleClaimedInStatement(
    next: CallHandler,
    request: FastifyRequest,
    reply: FastifyReply,
    pending: PendingIdempotencyKey,
  ): Observable<unknown> {
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        // The handler answered without storing its response with its change (it should not):
        // store it now, so that a retry is still answered with it.
        if (!pending.completed) {
          if (!pending.claimed) {
            throw new Error('an @IdempotencyInStatement() handler answered without claiming its key');
          }
          await this.store.complete(
            pending.scope,
            pending.key,
            reply.statusCode,
            body === undefined ? null : JSON.stringify(body),
            null,
          );
        }
        return body;
      }),
      catchError(async (error: unknown) => {
        if (error instanceof IdempotentReplay) return replay(request, reply, error);
        if (pending.claimed && !pending.completed) await this.store.release(pending.scope, pending.key);
        throw error;
      }),
    );
  }
}

/** Answers a retry with the stored response, marked `Idempotent-Replayed: true`. */
function replay(request: FastifyRequest, reply: FastifyReply, replayed: IdempotentReplay): unknown {
  const { answer } = replayed;
  const requestContext = requestContextOf(request);
  // Nothing changed on a replay, so there is nothing to audit.
  if (requestContext) requestContext.audited = true;
  void reply.status(answer.status).header('idempotent-replayed', 'true');
  if (answer.contentType) void reply.header('content-type', answer.contentType);
  return answer.body === null ? undefined : JSON.parse(answer.body);
}
