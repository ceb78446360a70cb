import {
  auditCheckpointsToOutbox,
  InboxEntry,
  kafkaSecurityFromSettings,
  MessagingModule,
  OutboxMessage,
} from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { type DynamicModule, Module } from '@nestjs/common';
import { ReportingConfig } from './config';
import { ProjectEventsConsumer } from './consumers/project-events.consumer';
import { reportingMigrations } from './database/data-source';
import { ReportingGeneration } from './database/reporting-generation.entity';
import { DashboardController } from './dashboard/dashboard.controller';
import { OverdueController } from './overdue/overdue.controller';
import { PipelineHealthController } from './pipeline-health/pipeline-health.controller';
import { PipelineHealthService } from './pipeline-health/pipeline-health.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'reporting',
          config,
          entities: [ReportingGeneration, InboxEntry, OutboxMessage],
          migrations: reportingMigrations,
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        MessagingModule.forRoot({
          serviceName: 'reporting',
          brokers: config.KAFKA_BROKERS,
          security: kafkaSecurityFromSettings(config),
          // Its only events are its audit checkpoints (nothing else writes its outbox), so the relay
          // it runs publishes to the audit topic only.
          publishes: [{ topic: config.AUDIT_EVENTS_TOPIC }],
          consumers: [
            {
              groupId: config.REPORTING_CONSUMER_GROUP,
              topics: config.REPORTING_TOPICS,
              maxRecordsPerTransaction: config.REPORTING_MAX_RECORDS_PER_TRANSACTION,
              partitionsConsumedConcurrently: config.REPORTING_PARTITIONS_CONSUMED_CONCURRENTLY,
              inboxRetention: { retentionMs: config.REPORTING_INBOX_RETENTION_DAYS * 86_400_000 },
            },
          ],
          // /ops/consumer-groups like every consuming service; /ops/dead-letters (the dashboard's)
          // replays its own group through it and forwards other groups to their services.
          deadLetterOps: true,
        }),
      ],
      // ProjectEventsConsumer: its @InboxBatch handler runs in the inbox transport main.ts connects.
      controllers: [
        ReportsController,
        ProjectEventsConsumer,
        // The city dashboard and the pipeline health it shows (src/dashboard, src/pipeline-health).
        DashboardController,
        PipelineHealthController,
        OverdueController,
      ],
      providers: [ReportsService, PipelineHealthService],
    };
  }
}
