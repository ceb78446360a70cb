import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, type Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { TypedProblemException } from '../http/problem-details';
import { requestContextOf } from '../observability/request-context-hook';
import { IdempotencyStore, requestHashOf } from './idempotency-store';

export const IDEMPOTENCY_TTL_SECONDS = Symbol('IDEMPOTENCY_TTL_SECONDS');
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST: the first response is stored and replayed for a retry with the same
 * key and body (marked `Idempotent-Replayed: true`); the same key with another body is a 409.
 * Keys are scoped to the caller and the path. A failed attempt releases its key so the retry runs.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_TTL_SECONDS) private readonly ttlSeconds: number,
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

    return from(this.store.claim(scope, key, requestHash, this.ttlSeconds)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
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
          case 'replay': {
            const requestContext = requestContextOf(request);
            // Nothing changed on a replay, so there is nothing to audit.
            if (requestContext) requestContext.audited = true;
            void reply.status(claim.status).header('idempotent-replayed', 'true');
            if (claim.contentType) void reply.header('content-type', claim.contentType);
            return of(claim.body === null ? undefined : JSON.parse(claim.body));
          }
          case 'claimed':
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
        }
      }),
    );
  }
}
