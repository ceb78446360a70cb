import 'reflect-metadata';
import { bootstrapService } from '@backbone/platform';
import { AppModule } from './app.module';
import { PartyFeeConfig } from './config';

void bootstrapService({
  name: 'party-fee',
  configSchema: PartyFeeConfig,
  module: (config) => AppModule.forRoot(config),
});
