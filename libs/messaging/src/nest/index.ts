import type { DynamicModule } from '@nestjs/common';
import type * as NestIntegration from './messaging.module';
import type { MessagingModuleOptions } from './messaging-options';

export * from './messaging-options';

/**
 * `imports: [MessagingModule.forRoot({ serviceName, brokers, publishes, consumers })]`.
 * The Nest classes are loaded on first use, so importing @backbone/messaging does not load
 * @nestjs/* (ESM-only, large) into processes that never use Nest: the dead-letters CLI, the
 * relay and consumer child processes of the tests, the benchmarks.
 */
export const MessagingModule = {
  forRoot(options: MessagingModuleOptions): DynamicModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
    const nest = require('./messaging.module') as typeof NestIntegration;
    return nest.NestMessagingModule.forRoot(options);
  },
};
