import { KAFKA_CLIENT, type KafkaClient } from '@backbone/messaging';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportingConfig } from '../config';
import { type Freshness, freshnessOf, LagMonitor } from '../freshness/freshness';
import { ReportingQueries } from '../queries/reporting-queries';

/** The read side: one generation per response, with its freshness. */
@Injectable()
export class ReportsService implements OnModuleInit, OnModuleDestroy {
  readonly queries: ReportingQueries;
  private readonly lagMonitor: LagMonitor;

  constructor(
    readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) client: KafkaClient,
    config: ReportingConfig,
  ) {
    this.queries = new ReportingQueries(dataSource);
    this.lagMonitor = new LagMonitor(
      client,
      config.REPORTING_CONSUMER_GROUP,
      config.REPORTING_TOPICS,
      undefined,
      config.REPORTING_LAG_POLL_MS,
    );
  }

  onModuleInit(): void {
    this.lagMonitor.start();
  }

  onModuleDestroy(): void {
    this.lagMonitor.stop();
  }

  /** Runs `read` against the current generation and says how fresh that generation is. */
  async read<T>(read: (schema: string) => Promise<T>): Promise<{ data: T; freshness: Freshness }> {
    const schema = await this.queries.currentSchema();
    const [data, freshness] = await Promise.all([
      read(schema),
      freshnessOf(this.dataSource, schema, this.lagMonitor.snapshot()),
    ]);
    return { data, freshness };
  }
}
