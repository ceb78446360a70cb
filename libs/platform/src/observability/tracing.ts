import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestContextOf } from './request-context-hook';

/**
 * OpenTelemetry tracing of a service: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test hands
 * span processors in). On, it registers the SDK globally (W3C trace context propagation, an
 * AsyncLocalStorage context manager, a batching OTLP/HTTP exporter), and the HTTP hook below opens a
 * server span per request that continues the caller's `traceparent`. libs/messaging carries the
 * trace on through the outbox and Kafka with the API alone. Off, nothing is installed: no hook runs,
 * `trace.getActiveSpan()` answers undefined, and events carry no trace attributes.
 */
export interface TracingOptions {
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT (validated by PlatformConfig). */
  otlpEndpoint?: string | undefined;
  /** Instead of the OTLP exporter, e.g. `new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })`. */
  spanProcessors?: SpanProcessor[];
}

let provider: TracerProvider | undefined;

/**
 * Starts tracing once per process (a later call changes nothing and answers whether it is on).
 * Returns whether spans are recorded.
 */
export function startTracing(options: TracingOptions): boolean {
  if (provider) return true;
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const spanProcessors =
    options.spanProcessors ??
    (options.otlpEndpoint
      ? [
          new BatchSpanProcessor({
            exporter: otlpTraceExporter(options.otlpEndpoint),
            ...batchOptionsFromEnv(process.env),
          }),
        ]
      : []);
  if (spanProcessors.length === 0) return false;
  provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME?.trim() || options.serviceName,
    }),
    sampler: samplerFromEnv(process.env),
    spanProcessors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return true;
}

/**
 * The OTLP/HTTP exporter for the validated endpoint, with the signal's path added as OpenTelemetry
 * specifies; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, when set, is the whole URL and wins (the exporter
 * reads it and the other OTEL_EXPORTER_OTLP_* variables, headers and timeout, itself).
 */
function otlpTraceExporter(endpoint: string): OTLPTraceExporter {
  if (process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) return new OTLPTraceExporter();
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}

/**
 * The sampler OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG name (as OpenTelemetry defines them);
 * by default every trace a caller did not decide on (parentbased_always_on). At high rates, e.g.
 * `parentbased_traceidratio` with `0.05`: an unsampled trace still carries its traceparent along.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  const argument = Number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = Number.isFinite(argument) && argument >= 0 && argument <= 1 ? argument : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      throw new Error(
        `OTEL_TRACES_SAMPLER=${name} is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio`,
      );
  }
}

/** OTEL_BSP_* (OpenTelemetry's batch span processor variables), where set to a positive number. */
function batchOptionsFromEnv(env: NodeJS.ProcessEnv) {
  const positive = (name: string) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const options = {
    scheduledDelayMillis: positive('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: positive('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: positive('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: positive('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/** Sends the spans still buffered (at shutdown: an application's close calls it). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Stops tracing and unregisters the SDK (tests that start it for one suite). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  await stopping.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

const SERVER_SPAN = Symbol('platform.serverSpan');
type WithServerSpan = { [SERVER_SPAN]?: Span };

/** Probes and scrapes are not worth a trace each. */
const UNTRACED_ROUTES = /^\/(health|metrics)(\/|$)/;

/**
 * One SERVER span per request, named by its route pattern (`POST /dossiers`: no ids or other request
 * data in span names or attributes), child of the caller's `traceparent` when it sends one. The
 * request is handled inside the span's context (kept on the request context too, which the
 * platform's interceptor re-enters), so events the request causes carry its trace.
 */
export function installHttpTracing(fastify: FastifyInstance, serviceName: string): void {
  const tracer = trace.getTracer('@backbone/platform');
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions?.url;
    if (route === undefined || UNTRACED_ROUTES.test(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'backbone.service': serviceName,
          'backbone.request_id': request.id,
        },
      },
      parent,
    );
    (request as WithServerSpan)[SERVER_SPAN] = span;
    const active: Context = trace.setSpan(parent, span);
    const requestContext = requestContextOf(request);
    if (requestContext) requestContext.traceContext = active;
    context.with(active, done);
  });
  const end = (request: FastifyRequest, statusCode: number | undefined) => {
    const holder = request as WithServerSpan;
    const span = holder[SERVER_SPAN];
    if (!span) return;
    holder[SERVER_SPAN] = undefined;
    if (statusCode === undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
    } else {
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}
