import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { auditCheckpointsToOutbox, kafkaSecurityFromSettings, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { SigningConfig } from './config';
import { SIGNING_MIGRATIONS, ENTITIES } from './database';
import { SigningFlowModule } from './signing-flow.module';
import { TrustServicesModule } from './trust-services.module';

@Module({})
export class AppModule {
  static forRoot(config: SigningConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'signing',
          config,
          entities: ENTITIES,
          migrations: SIGNING_MIGRATIONS,
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        TypeOrmModule.forFeature(ENTITIES),
        MessagingModule.forRoot({
          serviceName: 'signing',
          brokers: config.KAFKA_BROKERS,
          // Its own principal (KAFKA_AUTH=scram or tls) and TLS (KAFKA_SSL); nothing when none.
          security: kafkaSecurityFromSettings(config),
          publishes: [
            { topic: config.SIGNING_EVENTS_TOPIC, numPartitions: config.SIGNING_EVENTS_PARTITIONS },
            { topic: config.AUDIT_EVENTS_TOPIC },
            // Consumed (signing flow): listed only so that it exists before the consumer subscribes.
            { topic: config.DOSSIER_EVENTS_TOPIC },
          ],
          consumers: [
            {
              groupId: config.SIGNING_CONSUMER_GROUP,
              topics: [config.DOSSIER_EVENTS_TOPIC],
              fromBeginning: true,
            },
          ],
          kafkaLogLevel: 'error',
          // /ops/consumer-groups: its dead letters listed and replayed by its own consumer (audited).
          deadLetterOps: true,
        }),
        TrustServicesModule,
        SigningFlowModule,
      ],
    };
  }
}
