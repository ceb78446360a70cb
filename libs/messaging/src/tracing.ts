import {
  type Context,
  context,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type CloudEvent, TRACEPARENT_PATTERN } from '@backbone/contracts';
import type { EventContext } from './consumer/handlers';

/**
 * The trace of an event, carried by the CloudEvents distributed-tracing extension: the producer's
 * `traceparent`/`tracestate` go into the envelope (and the outbox row), the relay's publish span and
 * every consumer's process span continue it. Only the OpenTelemetry API is used here: a service that
 * does not start tracing (libs/platform) gets its no-op implementation, and events without a
 * `traceparent` cost one property check.
 */
const tracer = () => trace.getTracer('@backbone/messaging');

export interface EventTraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's W3C trace context (empty without one, always with tracing off). */
export function activeEventTraceContext(): EventTraceContext {
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

/**
 * The event as it goes into the outbox: unchanged when it carries a trace or none is active;
 * otherwise a copy with the active span's trace context (an event built without `eventTrace()`
 * inside a traced request or consumer).
 */
export function withActiveTrace(event: CloudEvent): CloudEvent {
  if (event.traceparent !== undefined) return event;
  const active = activeEventTraceContext();
  return active.traceparent ? { ...event, ...active } : event;
}

/** The remote parent a `traceparent` names (ROOT_CONTEXT when it is missing or invalid). */
export function contextOfTraceparent(
  traceparent: string | null | undefined,
  tracestate?: string | null,
): Context {
  if (!traceparent || !TRACEPARENT_PATTERN.test(traceparent)) return ROOT_CONTEXT;
  const [version, traceId, spanId, flags] = traceparent.split('-') as [string, string, string, string];
  if (version === 'ff') return ROOT_CONTEXT;
  const spanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & 0x01,
    isRemote: true,
    ...(tracestate ? { traceState: createTraceState(tracestate) } : {}),
  };
  if (!isSpanContextValid(spanContext)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

/** A PRODUCER span from when the event entered the outbox until Kafka acknowledged it. */
export function startPublishSpan(row: {
  topic: string;
  event_id: string;
  event_type: string;
  message_key: string;
  traceparent: string;
  tracestate: string | null;
  created_at: Date;
  service: string;
}): Span {
  return tracer().startSpan(
    `publish ${row.topic}`,
    {
      kind: SpanKind.PRODUCER,
      startTime: row.created_at,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': row.topic,
        'messaging.message.id': row.event_id,
        'messaging.kafka.message.key': row.message_key,
        'cloudevents.event_id': row.event_id,
        'cloudevents.event_type': row.event_type,
        'backbone.service': row.service,
      },
    },
    contextOfTraceparent(row.traceparent, row.tracestate),
  );
}

export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined)
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  span.end();
}

function startProcessSpan(groupId: string, event: CloudEvent, position: EventContext): Span {
  return tracer().startSpan(
    `process ${event.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': position.topic,
        'messaging.destination.partition.id': String(position.partition),
        'messaging.kafka.offset': Number(position.offset),
        'messaging.consumer.group.name': groupId,
        'messaging.message.id': event.id,
        'cloudevents.event_id': event.id,
        'cloudevents.event_type': event.type,
        'cloudevents.event_subject': event.subject,
        'backbone.service': groupId,
      },
    },
    contextOfTraceparent(event.traceparent, event.tracestate),
  );
}

/**
 * Runs a consumer's handler for one event inside a CONSUMER span that continues the event's trace,
 * so that the events the handler writes to its outbox carry the same trace on.
 */
export async function processTraced<T>(
  groupId: string,
  event: CloudEvent,
  position: EventContext,
  work: () => Promise<T>,
): Promise<T> {
  const span = startProcessSpan(groupId, event, position);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), work);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/**
 * A batch handler folds many events, of many traces, at once: one CONSUMER span per traced event,
 * each in its own trace, open while the batch is handled. Returns how to end them.
 */
export function startBatchProcessSpans(
  groupId: string,
  events: readonly CloudEvent[],
  positions: readonly EventContext[],
): ((error?: unknown) => void) | undefined {
  let spans: Span[] | undefined;
  events.forEach((event, index) => {
    if (event.traceparent === undefined) return;
    (spans ??= []).push(startProcessSpan(groupId, event, positions[index]!));
  });
  if (!spans) return undefined;
  const started = spans;
  return (error) => started.forEach((span) => endSpan(span, error));
}
