import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { PlatformConfig } from '../config/platform-config';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';
import { Public } from '../auth/decorators';

/**
 * Everything goes to prom-client's default registry (`register`), where libs/messaging also
 * registers its outbox, consumer-lag and dead-letter metrics, so one /metrics shows all of them.
 */
export function ensureDefaultMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register });
}

function httpDurationHistogram(): Histogram<'method' | 'route' | 'status_code'> {
  const existing = register.getSingleMetric('http_request_duration_seconds');
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
}

/**
 * Observes every response. The label is the route pattern (`/dossiers/:id`), never the raw URL, so
 * the number of series stays bounded and no id in a path becomes a label.
 */
export function installHttpMetrics(fastify: FastifyInstance): void {
  const histogram = httpDurationHistogram();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    histogram.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly config: PlatformConfig) {}

  @Get()
  @Header('content-type', register.contentType)
  metrics(@Headers('authorization') authorization?: string): Promise<string> {
    assertMetricsAccess(this.config, authorization);
    return register.metrics();
  }
}

/**
 * /metrics reveals routes, volumes and internals: with METRICS_TOKEN only to a scraper sending it,
 * without one public outside production and absent (404) in production.
 */
export function assertMetricsAccess(
  config: Pick<PlatformConfig, 'METRICS_TOKEN' | 'NODE_ENV'>,
  authorization: string | undefined,
): void {
  if (!config.METRICS_TOKEN) {
    if (config.NODE_ENV === 'production') throw new NotFoundException();
    return;
  }
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(config.METRICS_TOKEN);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new UnauthorizedException('/metrics needs the metrics token');
}
