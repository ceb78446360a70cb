import 'reflect-metadata';
import { inboxTransport } from '@backbone/messaging';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { ReportingConfig } from './config';

async function main(): Promise<void> {
  const { app } = await bootstrapService({
    name: 'reporting',
    configSchema: ReportingConfig,
    module: (config) => AppModule.forRoot(config),
  });
  // Every *.events.v1 through the inbox: the @InboxBatch handler of src/consumers.
  app.connectMicroservice(inboxTransport());
  await app.startAllMicroservices();
}

void main();
