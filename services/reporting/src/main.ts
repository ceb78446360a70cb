import 'reflect-metadata';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { ReportingConfig } from './config';

void bootstrapService({
  name: 'reporting',
  configSchema: ReportingConfig,
  module: (config) => AppModule.forRoot(config),
});
