import {
  Controller,
  Get,
  Inject,
  type OnModuleDestroy,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { measureDependencies } from './dependency-metrics';
import { ReadinessDetails } from './readiness-details';
import { SkipThrottle } from '@nestjs/throttler';

/** Resolves when Kafka answers; libs/messaging provides one backed by its client. */
export type KafkaPing = () => Promise<void>;
export const KAFKA_PING = Symbol('KAFKA_PING');

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness says the process serves requests (restart it if not); readiness says its database and
 * broker answer (send it traffic only if so).
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController implements OnModuleDestroy {
  /** The readiness probes, also measured on /metrics as `service_dependency_up` (infra/monitoring). */
  private readonly stopMeasuring: () => void;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(KAFKA_PING) private readonly kafkaPing: KafkaPing,
    private readonly readinessDetails: ReadinessDetails,
  ) {
    this.stopMeasuring = measureDependencies(
      new Map([
        ['database', () => withTimeout(this.dataSource.query('SELECT 1'), 'database')],
        ['kafka', () => withTimeout(this.kafkaPing(), 'kafka')],
      ]),
    );
  }

  onModuleDestroy(): void {
    this.stopMeasuring();
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        () => this.probe('database', () => this.dataSource.query('SELECT 1')),
        () => this.probe('kafka', () => this.kafkaPing()),
        // A service's own details (warnings included) never make it unready.
        ...this.readinessDetails.entries().map(
          ([key, source]) =>
            () =>
              this.details(key, source),
        ),
      ]);
    } catch (error) {
      // Terminus reports "down" as a 503 carrying the per-check details; keep those in the body.
      if (error instanceof ServiceUnavailableException) {
        void reply.status(503);
        return error.getResponse();
      }
      throw error;
    }
  }

  private details(key: string, source: () => Record<string, unknown>) {
    const indicator = this.indicators.check(key);
    try {
      return indicator.up(source());
    } catch (error) {
      return indicator.up({
        warning: `details unavailable: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(check(), key);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
