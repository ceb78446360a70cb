import 'reflect-metadata';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { DossierConfig } from './config';

void bootstrapService({
  name: 'dossier',
  configSchema: DossierConfig,
  module: (config) => AppModule.forRoot(config),
});
