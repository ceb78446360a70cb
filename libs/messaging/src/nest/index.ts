import type { BackboneEvent } from '@backbone/contracts';
import type { DynamicModule } from '@nestjs/common';
import type { AsyncMicroserviceOptions } from '@nestjs/microservices';
import type * as InboxTransportModule from './inbox-transport';
import type * as NestIntegration from './messaging.module';
import type { MessagingModuleOptions } from './messaging-options';

export * from './messaging-options';
export * from './consumer-group-registry';
export { ReplayDeadLettersDto } from './replay-dead-letters.dto';
export type {
  ConsumerGroupDeadLetters,
  DeadLetterListing,
  DeadLetterOperations,
  DeadLetterReplay,
  ServiceConsumerGroups,
} from './dead-letter-operations';
export type {
  HandlerDecorator,
  InboxBatchContext,
  InboxContext,
  InboxEventOf,
  InboxRecordMetadata,
  InboxTransport,
  InboxTransportOptions,
} from './inbox-transport';

// The Nest classes are loaded on first use, so importing @backbone/messaging does not load
// @nestjs/* (ESM-only, large) into processes that never use Nest: the dead-letters CLI, the
// relay and consumer child processes of the tests, the benchmarks.
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads, see above */
const nest = () => require('./messaging.module') as typeof NestIntegration;
const transport = () => require('./inbox-transport') as typeof InboxTransportModule;
/* eslint-enable @typescript-eslint/no-require-imports */

/** `imports: [MessagingModule.forRoot({ serviceName, brokers, publishes, consumers })]`. */
export const MessagingModule = {
  forRoot(options: MessagingModuleOptions): DynamicModule {
    return nest().NestMessagingModule.forRoot(options);
  },
};

export { INBOX_BATCH_PATTERN } from './inbox-batch-pattern';

/**
 * On a class of `@EventPattern('<event type>')` handlers: makes it a Nest controller whose handlers'
 * errors reach the inbox unchanged (for retries and dead letters). List it in the module's `controllers`.
 */
export function InboxConsumer(): ClassDecorator {
  return transport().InboxConsumer();
}

/**
 * `@InboxEventPattern('signature.completed.v1')`: Nest's `@EventPattern` for the inbox transport, with
 * the handler checked to be `(@Payload() event: EventOf<'signature.completed.v1'>, @Ctx() context: InboxContext)`.
 */
export function InboxEventPattern<T extends string>(
  type: T,
): InboxTransportModule.HandlerDecorator<
  (event: InboxTransportModule.InboxEventOf<T>, context: InboxTransportModule.InboxContext) => Promise<void>
> {
  return transport().InboxEventPattern(type);
}

/** On the one batch handler of a consumer group: `(@Payload() events: BackboneEvent[], @Ctx() context: InboxBatchContext)`. */
export function InboxBatch(): InboxTransportModule.HandlerDecorator<
  (events: BackboneEvent[], context: InboxTransportModule.InboxBatchContext) => Promise<void>
> {
  return transport().InboxBatch();
}

/** `app.connectMicroservice(inboxTransport())`, then `app.startAllMicroservices()`: runs a MessagingModule consumer group. */
export function inboxTransport(select: { groupId?: string } = {}): AsyncMicroserviceOptions {
  return transport().inboxTransport(select);
}
