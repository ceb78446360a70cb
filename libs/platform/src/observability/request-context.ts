import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { activeTraceContext } from './active-trace-context';

/**
 * What the platform knows about the request being served. Services read it through
 * `currentRequestContext()` (or `eventTrace()`) instead of passing the request object down.
 */
export interface RequestContext {
  requestId: string;
  /** Incoming `x-correlation-id`, or the request id when the caller sent none. */
  correlationId: string;
  method: string;
  /** Set by the authentication guard. */
  user?: AuthenticatedUser;
  /** Set once an audit record for this request has been written (see AuditTrail). */
  audited: boolean;
  /** With tracing on: the OpenTelemetry context of the request's server span (observability/tracing.ts). */
  traceContext?: Context;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * Runs `work` as no request's: for background work a request only sets off (e.g. waking the audit
 * chain linker after a commit), so that its statements and log lines are not the request's.
 */
export function runOutsideRequestContext<T>(work: () => T): T {
  return storage.exit(work);
}

/**
 * The trace fields for an event caused by the current request, ready to spread into
 * `buildEvent(..., { ...eventTrace(), ... })`: the request's correlation id travels with every
 * event it causes, and the request id is the cause. Outside a request (a consumer, a job) those are
 * empty, so `buildEvent` falls back to its own defaults. With tracing on, the W3C `traceparent` (and
 * `tracestate`) of the active span as well (the request's, or a consumer's), so that consumers of the
 * event continue the trace.
 */
export function eventTrace(): {
  correlationid?: string;
  causationid?: string;
  traceparent?: string;
  tracestate?: string;
} {
  const context = storage.getStore();
  const tracing = activeTraceContext();
  if (!context) return tracing;
  return { correlationid: context.correlationId, causationid: context.requestId, ...tracing };
}
