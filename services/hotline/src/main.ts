import 'reflect-metadata';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { HotlineConfig } from './config';

void bootstrapService({
  name: 'hotline',
  configSchema: HotlineConfig,
  module: (config) => AppModule.forRoot(config),
});
