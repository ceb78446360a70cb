import 'reflect-metadata';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { SigningConfig } from './config';

void bootstrapService({
  name: 'signing',
  configSchema: SigningConfig,
  module: (config) => AppModule.forRoot(config),
});
