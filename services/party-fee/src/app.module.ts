import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { auditCheckpointsToOutbox, kafkaSecurityFromSettings, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { ArrearsController } from './arrears/arrears.controller';
import { ArrearsHandler } from './arrears/arrears.handler';
import { AssessmentBatch } from './assessments/assessment-batch';
import { AssessmentsController } from './assessments/assessments.controller';
import { CellsController } from './cells/cells.controller';
import { CellsHandler } from './cells/cells.handler';
import { PartyFeeConfig } from './config';
import { ENTITIES, PARTY_FEE_MIGRATIONS } from './database';
import { FeeRuleTable } from './fee-rules/fee-rule-table';
import { MembersController } from './members/members.controller';
import { MembersHandler } from './members/members.handler';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsHandler } from './payments/payments.handler';
import { PaymentRecorder } from './payments/record-payment';
import { PingController } from './ping/ping.controller';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationHandler } from './reconciliation/reconciliation.handler';
import { StatsController } from './reconciliation/stats.controller';
import { RemittancesController } from './remittances/remittances.controller';
import { RemittancesHandler } from './remittances/remittances.handler';
import { StatementsController } from './statements/statements.controller';
import { StatementsHandler } from './statements/statements.handler';

@Module({})
export class AppModule {
  static forRoot(config: PartyFeeConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'party-fee',
          config,
          entities: ENTITIES,
          migrations: PARTY_FEE_MIGRATIONS,
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        TypeOrmModule.forFeature(ENTITIES),
        MessagingModule.forRoot({
          serviceName: 'party-fee',
          brokers: config.KAFKA_BROKERS,
          // Its own principal (KAFKA_AUTH=scram or tls) and TLS (KAFKA_SSL); nothing when none.
          security: kafkaSecurityFromSettings(config),
          publishes: [
            { topic: config.PARTY_FEE_EVENTS_TOPIC, numPartitions: config.PARTY_FEE_EVENTS_PARTITIONS },
            { topic: config.AUDIT_EVENTS_TOPIC },
          ],
          kafkaLogLevel: 'error',
        }),
      ],
      controllers: [
        CellsController,
        MembersController,
        AssessmentsController,
        PaymentsController,
        StatementsController,
        ArrearsController,
        RemittancesController,
        ReconciliationController,
        StatsController,
        PingController,
      ],
      providers: [
        FeeRuleTable,
        CellsHandler,
        MembersHandler,
        PaymentRecorder,
        AssessmentBatch,
        PaymentsHandler,
        StatementsHandler,
        ArrearsHandler,
        RemittancesHandler,
        ReconciliationHandler,
      ],
    };
  }
}
