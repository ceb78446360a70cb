import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { auditCheckpointsToOutbox, kafkaSaslFromSettings, MessagingModule } from '@backbone/messaging';
import { PlatformModule } from '@backbone/platform';
import { HotlineConfig } from './config';
import { HOTLINE_MIGRATIONS, ENTITIES } from './database';
import { ItemsController } from './record-item/items.controller';
import { RecordItemHandler } from './record-item/record-item.handler';

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
          // Its own principal when KAFKA_AUTH=scram (docs/adr/0010); nothing when none.
          sasl: kafkaSaslFromSettings(config),
          publishes: [
            { topic: config.HOTLINE_EVENTS_TOPIC, numPartitions: config.HOTLINE_EVENTS_PARTITIONS },
            { topic: config.AUDIT_EVENTS_TOPIC },
          ],
          kafkaLogLevel: 'error',
        }),
      ],
      controllers: [ItemsController],
      providers: [RecordItemHandler],
    };
  }
}
