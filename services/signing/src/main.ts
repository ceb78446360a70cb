import 'reflect-metadata';
import { inboxTransport } from '@backbone/messaging';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { SigningConfig } from './config';

async function main(): Promise<void> {
  const { app } = await bootstrapService({
    name: 'signing',
    configSchema: SigningConfig,
    module: (config) => AppModule.forRoot(config),
  });
  // dossier.events.v1 through the inbox: the @EventPattern handlers (signing flow's consumers).
  app.connectMicroservice(inboxTransport());
  await app.startAllMicroservices();
}

void main();
