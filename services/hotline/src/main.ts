import 'reflect-metadata';
import { inboxTransport } from '@backbone/messaging';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { HotlineConfig } from './config';

async function main(): Promise<void> {
  const { app } = await bootstrapService({
    name: 'hotline',
    configSchema: HotlineConfig,
    module: (config) => AppModule.forRoot(config),
  });
  // dossier.events.v1 (the official calendar) through the inbox: src/working-calendar's consumer.
  app.connectMicroservice(inboxTransport());
  await app.startAllMicroservices();
}

void main();
