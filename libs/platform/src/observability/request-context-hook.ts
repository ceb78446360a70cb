import type { IncomingMessage } from 'node:http';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { context as traceContexts } from '@opentelemetry/api';
import { uuidv7 } from '@backbone/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { type RequestContext, runWithRequestContext } from './request-context';

const CONTEXT = Symbol('platform.requestContext');
type WithContext = { [CONTEXT]?: RequestContext };

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Fastify's request id: the caller's `x-request-id` when it looks like an id (so a gateway's id
 * carries through), otherwise a new UUIDv7. Anything else is ignored, to keep log lines clean.
 */
export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : uuidv7();
}

export function requestContextOf(request: FastifyRequest | object): RequestContext | undefined {
  return (request as WithContext)[CONTEXT];
}

/** Creates the request context before anything else runs, and echoes the ids to the caller. */
export function installRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const incomingCorrelation = request.headers['x-correlation-id'];
    const context: RequestContext = {
      requestId: request.id,
      correlationId:
        typeof incomingCorrelation === 'string' && SAFE_ID.test(incomingCorrelation)
          ? incomingCorrelation
          : request.id,
      method: request.method,
      audited: false,
    };
    (request as WithContext)[CONTEXT] = context;
    reply.header('x-request-id', context.requestId);
    reply.header('x-correlation-id', context.correlationId);
    runWithRequestContext(context, done);
  });
}

/**
 * Runs the handler (and the pipes and interceptors inside it) within the request's
 * AsyncLocalStorage context. The hook above enters it too, but Fastify's body parsing can resume
 * on another async path, so this is the guarantee for service code.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const requestContext =
      context.getType() === 'http' ? requestContextOf(context.switchToHttp().getRequest()) : undefined;
    if (!requestContext) return next.handle();
    const { traceContext } = requestContext;
    return new Observable((subscriber) =>
      runWithRequestContext(requestContext, () =>
        // With tracing on, the request's server span is the active one for the handler too.
        traceContext
          ? traceContexts.with(traceContext, () => next.handle().subscribe(subscriber))
          : next.handle().subscribe(subscriber),
      ),
    );
  }
}
