import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { setEventSchemaBaseUrl } from '@backbone/contracts';
import { AuditTrail } from './audit/audit-trail';
import { EVENT_CATALOGUE_PATH, installEventCatalogue } from './event-catalogue/event-catalogue';
import { installJsonDepthLimit } from './http/json-depth-limit';
import { describeValidatedInputs } from './http/openapi-from-validation';
import { installSecurityHeaders } from './http/security-headers';
import { type ConfigClass, loadConfigOrExit } from './config/load-config';
import type { PlatformConfig } from './config/platform-config';
import {
  createAccessLogger,
  createPlatformLogger,
  PinoNestLogger,
  type PlatformLogger,
} from './observability/logger';
import { installStatementCounting } from './database/statement-counting';
import { ensureDefaultMetrics, installHttpMetrics } from './observability/metrics';
import { flushTracing, installHttpTracing, startTracing } from './observability/tracing';
import {
  generateRequestId,
  installRequestContext,
  requestContextOf,
} from './observability/request-context-hook';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** helmet's defaults; the API answers JSON only, the CSP relaxations are for the Swagger UI at /docs. */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'", "'unsafe-inline'"],
    },
  },
};

/**
 * One log line per request: Fastify's "request completed" (method, path, status, time; error level
 * on failure) carries everything its "incoming request" line would, so that one is dropped.
 */
class OneLinePerRequest extends LogController {
  constructor(private readonly accessLog: PlatformLogger) {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    // Failures through the request's own (redacting) logger; a success line has only the status
    // and the time, written without a redaction pass (see createAccessLogger).
    if (error || this.isLogDisabled(request)) return super.requestCompleted(error, request, reply, metadata);
    this.accessLog.info(
      { requestId: request.id, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
}

export interface CreatePlatformAppOptions {
  serviceName: string;
  config: PlatformConfig;
  /** The service's root module; it imports PlatformModule.forRoot(...). */
  module: Type<unknown> | DynamicModule;
  /** Where log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
}

export interface PlatformApp {
  app: NestFastifyApplication;
  logger: PlatformLogger;
}

/**
 * Builds and initializes (without listening) the service's Nest application on Fastify with the
 * platform's HTTP behaviour: pino JSON logs with request ids, body limit, security headers,
 * request context, HTTP latency metrics, tracing (when configured), failure auditing and the
 * OpenAPI document at /docs.
 */
export async function createPlatformApp(options: CreatePlatformAppOptions): Promise<PlatformApp> {
  const { config } = options;
  // Every event this process builds names its schema under the deployment's catalogue (ADR 0013).
  const eventSchemaBaseUrl = setEventSchemaBaseUrl(config.eventSchemaBaseUrl);
  const loggerOptions = {
    service: options.serviceName,
    level: config.LOG_LEVEL,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  };
  const logger = createPlatformLogger(loggerOptions);
  // Off unless DB_STATEMENT_COUNTING=1 (benchmarks): statements per request on /metrics.
  installStatementCounting();
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test started tracing): then a span per request.
  const tracing = startTracing({
    serviceName: options.serviceName,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: generateRequestId,
    // Behind a load balancer the client is in X-Forwarded-For; believe only the configured proxies.
    trustProxy: config.trustProxy,
    logController: new OneLinePerRequest(createAccessLogger(logger, loggerOptions)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installRequestContext(fastify);
  if (tracing) {
    installHttpTracing(fastify, options.serviceName);
    fastify.addHook('onClose', async () => flushTracing());
  }
  ensureDefaultMetrics();
  installHttpMetrics(fastify);
  installJsonDepthLimit(fastify);

  const auditTrail = app.get(AuditTrail);
  fastify.addHook('onResponse', async (request, reply) => {
    if (!STATE_CHANGING.has(request.method)) return;
    const context = requestContextOf(request);
    if (!context) return;
    const params = request.params as Record<string, unknown> | undefined;
    await auditTrail.recordUnauditedRequest(context, {
      action: `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`,
      status: reply.statusCode,
      ...(typeof params?.id === 'string' ? { targetId: params.id } : {}),
    });
  });

  // helmet's headers, computed once at start-up instead of by the plugin on every request.
  await installSecurityHeaders(fastify, SECURITY_HEADERS);
  // The event catalogue (schemas, AsyncAPI, the page that renders it) at /events/, public.
  installEventCatalogue(fastify, eventSchemaBaseUrl);

  if (config.SWAGGER_ENABLED) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`${options.serviceName} service`)
        .setVersion('1')
        .setDescription(
          `The events this and every other service publish: the [event catalogue](${EVENT_CATALOGUE_PATH}) ` +
            `(AsyncAPI, each type's JSON Schema; also at ${eventSchemaBaseUrl}).`,
        )
        .setExternalDoc('Event catalogue (AsyncAPI)', EVENT_CATALOGUE_PATH)
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .addSecurityRequirements('bearer')
        .build(),
    );
    SwaggerModule.setup('docs', app, describeValidatedInputs(document, app), {
      jsonDocumentUrl: 'docs/openapi.json',
    });
  }

  app.enableShutdownHooks();
  await app.init();
  await fastify.ready();
  return { app, logger };
}

export interface BootstrapServiceOptions<C extends PlatformConfig> {
  name: string;
  configSchema: ConfigClass<C>;
  /** Builds the root module from the validated configuration. */
  module: (config: C) => Type<unknown> | DynamicModule;
}

/**
 * A service's whole `main.ts`:
 * `void bootstrapService({ name: 'dossier', configSchema: DossierConfig, module: (config) => AppModule.forRoot(config) })`.
 * A configuration problem stops the process with a message naming each bad variable.
 */
export async function bootstrapService<C extends PlatformConfig>(
  options: BootstrapServiceOptions<C>,
): Promise<PlatformApp> {
  const config = loadConfigOrExit(options.configSchema);
  const platformApp = await createPlatformApp({
    serviceName: options.name,
    config,
    module: options.module(config),
  });
  await platformApp.app.listen(config.PORT, '0.0.0.0');
  platformApp.logger.info({ port: config.PORT }, `${options.name} service listening`);
  return platformApp;
}
