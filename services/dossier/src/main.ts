import 'reflect-metadata';
import { inboxTransport } from '@backbone/messaging';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { DossierConfig } from './config';

async function main(): Promise<void> {
  const { app } = await bootstrapService({
    name: 'dossier',
    configSchema: DossierConfig,
    module: (config) => AppModule.forRoot(config),
  });
  // signing.events.v1 through the inbox: the @EventPattern handlers of src/consumers.
  app.connectMicroservice(inboxTransport());
  await app.startAllMicroservices();
}

void main();
