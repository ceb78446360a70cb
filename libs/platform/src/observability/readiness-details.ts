import { Injectable } from '@nestjs/common';

/**
 * What a service adds to `/health/ready` beyond the database and Kafka: details that an operator
 * should see but that do not make the instance unready (e.g. "next year's official calendar is not
 * entered yet"). A source returns its details synchronously from state it keeps up to date itself,
 * so a readiness probe never waits on it; the check is reported "up" with those details.
 */
export type ReadinessDetailSource = () => Record<string, unknown>;

@Injectable()
export class ReadinessDetails {
  private readonly sources = new Map<string, ReadinessDetailSource>();

  /** Adds (or replaces) the details shown under `key`; `database` and `kafka` are taken. */
  register(key: string, source: ReadinessDetailSource): void {
    if (key === 'database' || key === 'kafka')
      throw new Error(`readiness key "${key}" is the platform's own`);
    this.sources.set(key, source);
  }

  entries(): [string, ReadinessDetailSource][] {
    return [...this.sources.entries()];
  }
}
