import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The W3C trace context of the active span, for an event it causes: spread into `buildEvent`
 * through `eventTrace()`. Empty without an active, valid span (always, with tracing off).
 */
export function activeTraceContext(): { traceparent?: string; tracestate?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const tracestate = spanContext.traceState?.serialize();
  return {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    ...(tracestate ? { tracestate } : {}),
  };
}
