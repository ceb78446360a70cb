import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CreateReportingProjections1764300000000 } from './migrations/1764300000000-create-reporting-projections';
import { ReportingGeneration } from './reporting-generation.entity';

export const reportingMigrations = [...messagingMigrations, CreateReportingProjections1764300000000];

export function reportingDataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ReportingGeneration, InboxEntry, OutboxMessage],
    migrations: reportingMigrations,
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize },
  };
}

export function createReportingDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(reportingDataSourceOptions(url, poolSize));
}
