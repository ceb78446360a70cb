import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { auditCheckpointsToOutbox, kafkaSecurityFromSettings, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { AppAccountsController } from './app-accounts/app-accounts.controller';
import { CallRecorder } from './calls/call-recorder';
import { CallsController } from './calls/calls.controller';
import { CallsHandler } from './calls/calls.handler';
import { CdrBodyParser } from './calls/cdr-body-parser';
import { HotlineConfig } from './config';
import { ENTITIES, HOTLINE_MIGRATIONS } from './database';
import { Open311Controller } from './open311/open311.controller';
import { Open311Keys } from './open311/open311.service';
import { OverdueScheduler } from './overdue/overdue-scheduler';
import { PingController } from './ping/ping.controller';
import { QueryReportsController } from './query-reports/query-reports.controller';
import { QueryReportsHandler } from './query-reports/query-reports.handler';
import { RoutingService } from './routing/routing.service';
import { ReportIntake } from './submit-report/report-intake';
import { SubmitReportController } from './submit-report/submit-report.controller';
import { TaxonomyController } from './taxonomy/taxonomy.controller';
import { TaxonomyService } from './taxonomy/taxonomy.service';
import { TransitionReportController } from './transition-report/transition-report.controller';
import { TransitionReportHandler } from './transition-report/transition-report.handler';
import { OnOfficialYearSetConsumer } from './working-calendar/on-official-year-set.consumer';
import { WorkingCalendarService } from './working-calendar/working-calendar.service';

@Module({})
export class AppModule {
  static forRoot(config: HotlineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'hotline',
          config,
          entities: ENTITIES,
          migrations: HOTLINE_MIGRATIONS,
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        TypeOrmModule.forFeature(ENTITIES),
        MessagingModule.forRoot({
          serviceName: 'hotline',
          brokers: config.KAFKA_BROKERS,
          // Its own principal (KAFKA_AUTH=scram or tls) and TLS (KAFKA_SSL); nothing when none.
          security: kafkaSecurityFromSettings(config),
          publishes: [
            { topic: config.HOTLINE_EVENTS_TOPIC, numPartitions: config.HOTLINE_EVENTS_PARTITIONS },
            // Not ours: listed so that it exists before the consumer subscribes (the dossier
            // service may start later); the relay publishes by event type, never here.
            { topic: config.DOSSIER_EVENTS_TOPIC },
            { topic: config.AUDIT_EVENTS_TOPIC },
          ],
          consumers: [
            // The official calendar (calendar.official-year-set.v1, docs/adr/0008); other types are skipped.
            {
              groupId: config.HOTLINE_CONSUMER_GROUP,
              topics: [config.DOSSIER_EVENTS_TOPIC],
              fromBeginning: true,
            },
          ],
          kafkaLogLevel: 'error',
          // /ops/consumer-groups: its dead letters listed and replayed by its own consumer (audited).
          deadLetterOps: true,
        }),
      ],
      controllers: [
        SubmitReportController,
        QueryReportsController,
        TransitionReportController,
        CallsController,
        AppAccountsController,
        TaxonomyController,
        Open311Controller,
        PingController,
        // Its @EventPattern handler runs in the inbox transport main.ts connects.
        OnOfficialYearSetConsumer,
      ],
      providers: [
        WorkingCalendarService,
        TaxonomyService,
        RoutingService,
        ReportIntake,
        TransitionReportHandler,
        QueryReportsHandler,
        CallRecorder,
        CallsHandler,
        CdrBodyParser,
        Open311Keys,
        OverdueScheduler,
      ],
    };
  }
}
