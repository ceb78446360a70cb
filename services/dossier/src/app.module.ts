import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { auditCheckpointsToOutbox, kafkaSecurityFromSettings, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { DossierConfig } from './config';
import { OnSignatureCompletedConsumer } from './consumers/on-signature-completed.consumer';
import { OnSignatureRejectedConsumer } from './consumers/on-signature-rejected.consumer';
import {
  PublicSignedResultController,
  ResultDocumentController,
} from './result-document/result-document.controller';
import { ResultDocumentHandler } from './result-document/result-document.handler';
import { DOSSIER_MIGRATIONS, ENTITIES } from './database';
import { ImportDossiersModule } from './import-dossiers/import-dossiers.module';
import { OverdueScheduler } from './overdue/overdue-scheduler';
import { PublicLookupController } from './public-lookup/public-lookup.controller';
import { QueryDossiersController } from './query-dossiers/query-dossiers.controller';
import { QueryDossiersHandler } from './query-dossiers/query-dossiers.handler';
import { ReceiveDossierController } from './receive-dossier/receive-dossier.controller';
import { ReceiveDossierHandler } from './receive-dossier/receive-dossier.handler';
import { OfficialCalendarController } from './reference-data-api/official-calendar.controller';
import { OfficialCalendarWatch } from './reference-data-api/official-calendar-watch';
import { OfficialCalendarWriter } from './reference-data-api/official-calendar.writer';
import { ReferenceDataController } from './reference-data-api/reference-data.controller';
import { DossierModule } from './dossier/dossier.module';
import { ReferenceDataService } from './reference-data/reference-data.service';
import { PingController } from './ping/ping.controller';
import { TransitionDossierController } from './transition-dossier/transition-dossier.controller';
import { TransitionDossierHandler } from './transition-dossier/transition-dossier.handler';

@Module({})
export class AppModule {
  static forRoot(config: DossierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'dossier',
          config,
          entities: ENTITIES,
          migrations: DOSSIER_MIGRATIONS,
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        TypeOrmModule.forFeature(ENTITIES),
        MessagingModule.forRoot({
          serviceName: 'dossier',
          brokers: config.KAFKA_BROKERS,
          security: kafkaSecurityFromSettings(config),
          publishes: [
            { topic: config.DOSSIER_EVENTS_TOPIC, numPartitions: config.DOSSIER_EVENTS_PARTITIONS },
            // Not ours to publish, but the consumer cannot subscribe to a topic that does not exist
            // yet (the brokers never create topics implicitly) and the signing service may start
            // later: listing it here only makes sure it exists. The relay publishes by event type.
            { topic: config.SIGNING_EVENTS_TOPIC },
            { topic: config.AUDIT_EVENTS_TOPIC },
          ],
          consumers: [
            {
              groupId: config.DOSSIER_CONSUMER_GROUP,
              topics: [config.SIGNING_EVENTS_TOPIC],
              fromBeginning: true,
            },
          ],
          kafkaLogLevel: 'error',
          // /ops/consumer-groups: its dead letters listed and replayed by its own consumer (audited).
          deadLetterOps: true,
        }),
        DossierModule,
        ImportDossiersModule,
      ],
      controllers: [
        ReceiveDossierController,
        QueryDossiersController,
        TransitionDossierController,
        PublicLookupController,
        ReferenceDataController,
        OfficialCalendarController,
        PingController,
        // Its @EventPattern handlers run in the inbox transport main.ts connects.
        OnSignatureCompletedConsumer,
        OnSignatureRejectedConsumer,
        ResultDocumentController,
        PublicSignedResultController,
      ],
      providers: [
        ReferenceDataService,
        ReceiveDossierHandler,
        TransitionDossierHandler,
        QueryDossiersHandler,
        OverdueScheduler,
        OfficialCalendarWatch,
        OfficialCalendarWriter,
        ResultDocumentHandler,
      ],
    };
  }
}
