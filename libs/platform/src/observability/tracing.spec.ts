import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import Fastify from 'fastify';
import { activeTraceContext } from './active-trace-context';
import { eventTrace } from './request-context';
import { installRequestContext } from './request-context-hook';
import { installHttpTracing, startTracing, stopTracing, tracingEnabled } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('tracing off', () => {
  it('records nothing and adds no trace fields to events', () => {
    expect(startTracing({ serviceName: 'test' })).toBe(false);
    expect(tracingEnabled()).toBe(false);
    expect(activeTraceContext()).toEqual({});
    expect(eventTrace()).toEqual({});
  });
});

describe('tracing on: a server span per request, continuing the caller, seen by the events', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    expect(
      startTracing({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    ).toBe(true);
  });

  afterAll(async () => {
    await stopTracing();
  });

  async function app() {
    const fastify = Fastify();
    installRequestContext(fastify);
    installHttpTracing(fastify, 'test-service');
    fastify.get('/things/:id', async () => ({ trace: eventTrace() }));
    fastify.get('/fails', async (_request, reply) => reply.status(503).send({}));
    fastify.get('/health/live', async () => ({ status: 'ok' }));
    await fastify.ready();
    return fastify;
  }

  it('names the span by its route, parents it on the traceparent and hands its context to events', async () => {
    exporter.reset();
    const fastify = await app();
    const response = await fastify.inject({
      method: 'GET',
      url: '/things/0198a000-0000-7000-8000-00000000000a',
      headers: { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, tracestate: 'congo=t61rcWkgMzE' },
    });
    await fastify.close();
    const [span] = exporter.getFinishedSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('GET /things/:id');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(span!.attributes).toMatchObject({ 'http.route': '/things/:id', 'http.response.status_code': 200 });
    // No request data (the id in the path) in the span.
    expect(JSON.stringify(span!.attributes)).not.toContain('0198a000');
    const { trace } = response.json() as { trace: { traceparent: string; tracestate?: string } };
    expect(trace.traceparent).toBe(`00-${TRACE_ID}-${span!.spanContext().spanId}-01`);
    expect(trace.tracestate).toBe('congo=t61rcWkgMzE');
  });

  it('starts a new trace without a traceparent, marks 5xx as errors and leaves probes alone', async () => {
    exporter.reset();
    const fastify = await app();
    await fastify.inject({ method: 'GET', url: '/fails' });
    await fastify.inject({ method: 'GET', url: '/health/live' });
    await fastify.close();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['GET /fails']);
    expect(spans[0]!.parentSpanContext).toBeUndefined();
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });
});
