import {
  type BackboneEvent,
  type BackboneEventType,
  type CloudEvent,
  eventClassFor,
  type EventOf,
} from '@backbone/contracts';
import { applyDecorators, Catch, Controller, type ExceptionFilter, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  type AsyncMicroserviceOptions,
  BaseRpcContext,
  type CustomTransportStrategy,
  EventPattern,
  type MessageHandler,
  Server,
} from '@nestjs/microservices';
import { getDataSourceToken } from '@nestjs/typeorm';
import { isObservable, lastValueFrom, throwError } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { replayDeadLetters, type ReplayResult } from '../consumer/dead-letters';
import type { ConsumerHandlers, EventContext } from '../consumer/handlers';
import { IdempotentConsumer, type IdempotentConsumerOptions } from '../consumer/idempotent-consumer';
import type { KafkaClient } from '../kafka/kafka-client';
import { defaultMessagingLogger } from '../logger';
import {
  ConsumerGroupRegistry,
  type DeadLetterSelection,
  type RunningConsumerGroup,
} from './consumer-group-registry';
import { KAFKA_CLIENT, MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

/** The pattern of the one batch handler a consumer group may have instead of per-type handlers. */
import { INBOX_BATCH_PATTERN } from './inbox-batch-pattern';

export { INBOX_BATCH_PATTERN };

/** Where one event was read from, and its id. */
export interface InboxRecordMetadata extends EventContext {
  eventId: string;
}

/**
 * `@Ctx()` of an `@EventPattern('<type>')` handler: the inbox transaction and where the event came
 * from. Every write of the handler goes through `getManager()`, so it commits with the event's inbox
 * row, or rolls back with it when the handler throws (and the event is retried).
 */
export class InboxContext extends BaseRpcContext<[EntityManager, InboxRecordMetadata]> {
  getManager(): EntityManager {
    return this.args[0];
  }

  getRecord(): InboxRecordMetadata {
    return this.args[1];
  }

  getTopic(): string {
    return this.args[1].topic;
  }

  getPartition(): number {
    return this.args[1].partition;
  }

  getOffset(): string {
    return this.args[1].offset;
  }

  getEventId(): string {
    return this.args[1].eventId;
  }
}

/** `@Ctx()` of an `@InboxBatch()` handler: the batch's transaction and where each event was read from. */
export class InboxBatchContext extends BaseRpcContext<[EntityManager, readonly EventContext[]]> {
  getManager(): EntityManager {
    return this.args[0];
  }

  /** `getPositions()[i]` is where the i-th event of the payload was read from. */
  getPositions(): readonly EventContext[] {
    return this.args[1];
  }
}

/**
 * Nest's default RPC exception filter logs a handler's error and replaces it with
 * `{ status: 'error', message: 'Internal server error' }`. The inbox needs the error itself: to tell
 * a transient failure (retried without limit) from a permanent one (dead-lettered after maxAttempts),
 * and to write its message into the dead letter. This filter hands it on unchanged.
 */
@Catch()
class HandOnHandlerErrors implements ExceptionFilter {
  catch(exception: unknown) {
    return throwError(() => exception);
  }
}

/**
 * A class of `@EventPattern` handlers run by the inbox transport: a Nest controller (that is where
 * Nest looks for message patterns) whose handlers' errors reach the inbox unchanged.
 */
export function InboxConsumer(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(new HandOnHandlerErrors()));
}

/** The payload of a handler of `type`: the contracts' event of that type, or any event for types outside the catalogue (tests). */
export type InboxEventOf<T extends string> = T extends BackboneEventType ? EventOf<T> : CloudEvent;

/** A method decorator that checks the decorated handler's signature (it may take fewer arguments). */
export type HandlerDecorator<THandler> = <TMethod extends THandler>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<TMethod>,
) => void;

/**
 * `@EventPattern(type)` for the inbox transport, with the handler's signature checked against the
 * contracts: `(@Payload() event: EventOf<type>, @Ctx() context: InboxContext)`. (Nest 12's own typed
 * `@EventPattern` overload types every argument after the payload as `unknown`, which refuses a typed
 * `@Ctx()`.)
 */
export function InboxEventPattern<T extends string>(
  type: T,
): HandlerDecorator<(event: InboxEventOf<T>, context: InboxContext) => Promise<void>> {
  return EventPattern<string>(type);
}

/**
 * The consumer group's batch handler: `@InboxBatch() apply(@Payload() events: BackboneEvent[],
 * @Ctx() ctx: InboxBatchContext)`, called once per run of new events (every type) for one write per
 * key. A group has either one batch handler or per-type handlers, never both.
 */
export function InboxBatch(): HandlerDecorator<
  (events: BackboneEvent[], context: InboxBatchContext) => Promise<void>
> {
  return EventPattern<string>(INBOX_BATCH_PATTERN);
}

export type InboxTransportOptions = Omit<IdempotentConsumerOptions, 'handlers'>;

/**
 * A custom Nest transport running libs/messaging's idempotent consumer (inbox, retries, dead letters,
 * watchdog: all unchanged) and dispatching each new event to the `@EventPattern('<event type>')`
 * handler of its type, or a run of them to the `@InboxBatch()` handler, inside the inbox transaction.
 * An event whose type has no handler is recorded in the inbox and otherwise ignored, as a consumer
 * testing `event.type` did before.
 */
export class InboxTransport extends Server implements CustomTransportStrategy, RunningConsumerGroup {
  static readonly TRANSPORT = Symbol('backbone-inbox');
  override readonly transportId = InboxTransport.TRANSPORT;
  // Handler errors are awaited and handed to the inbox (retries, dead letters): nothing to report here.
  override readonly propagatesEventHandlerErrors = true;
  private consumer: IdempotentConsumer | undefined;

  constructor(
    private readonly options: InboxTransportOptions,
    /** Where the dead-letter ops endpoints find this group (registered while it listens). */
    private readonly registry?: ConsumerGroupRegistry,
  ) {
    super();
  }

  get groupId(): string {
    return this.options.groupId;
  }

  listen(callback: (error?: unknown) => void): void {
    let consumer: IdempotentConsumer;
    try {
      consumer = new IdempotentConsumer({ ...this.options, handlers: this.consumerHandlers() });
    } catch (error) {
      callback(error);
      return;
    }
    this.consumer = consumer;
    consumer.start().then(
      () => {
        this.registry?.register(this);
        callback();
      },
      (error: unknown) => callback(error),
    );
  }

  /**
   * Replays chosen dead letters of this group with the same handlers as the live consumer, through
   * the same inbox (one transaction each): a letter applied meanwhile, or replayed twice, counts once.
   */
  async replayDeadLetters(selection: DeadLetterSelection): Promise<ReplayResult[]> {
    return replayDeadLetters({
      client: this.options.client,
      dataSource: this.options.dataSource,
      groupId: this.options.groupId,
      handlers: this.consumerHandlers(),
      timeoutMs: 15_000,
      ...selection,
    });
  }

  /** Stops fetching, lets the running transaction finish and commit, leaves the group. */
  async close(): Promise<void> {
    this.registry?.unregister(this);
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  on(): never {
    throw new Error('InboxTransport has no events to listen to');
  }

  /** The idempotent consumer this transport runs (once listening). */
  unwrap<T>(): T {
    if (!this.consumer) throw new Error('InboxTransport is not listening');
    return this.consumer as T;
  }

  private consumerHandlers(): ConsumerHandlers {
    const handlers = new Map(this.getHandlers());
    const group = this.options.groupId;
    for (const [pattern, handler] of handlers) {
      if (!handler.isEventHandler)
        throw new Error(`Consumer group "${group}": "${pattern}" is a @MessagePattern; use @EventPattern`);
      if (pattern !== INBOX_BATCH_PATTERN && !eventClassFor(pattern))
        throw new Error(
          `Consumer group "${group}": @EventPattern("${pattern}") is no event type of the contracts`,
        );
    }
    const batch = handlers.get(INBOX_BATCH_PATTERN);
    if (batch) {
      if (handlers.size > 1)
        throw new Error(
          `Consumer group "${group}": an @InboxBatch() handler excludes @EventPattern handlers`,
        );
      return {
        handleBatch: (events, manager, positions) =>
          invoke(batch, events, new InboxBatchContext([manager, positions])),
      };
    }
    if (handlers.size === 0) throw new Error(`Consumer group "${group}" has no @EventPattern handlers`);
    return {
      handledTypes: new Set(handlers.keys()),
      handle: async (event: CloudEvent, manager, context) => {
        const handler = handlers.get(event.type);
        if (!handler) return;
        await invoke(
          handler,
          event,
          new InboxContext([
            manager,
            { topic: context.topic, partition: context.partition, offset: context.offset, eventId: event.id },
          ]),
        );
      },
    };
  }
}

/** Runs a Nest handler to its end: it answers a value, a promise or an observable (interceptors). */
async function invoke(handler: MessageHandler, payload: unknown, context: BaseRpcContext<unknown>) {
  try {
    const result: unknown = await handler(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  } catch (error) {
    throw asError(error);
  }
}

/** Nest's replacement for an error (a class without @InboxConsumer) is a plain object: keep its message at least. */
function asError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const { message } = error as { message?: unknown };
  return new Error(typeof message === 'string' ? message : JSON.stringify(error));
}

/**
 * `app.connectMicroservice(inboxTransport())`: the transport for the MessagingModule's consumer group
 * (the one with `groupId`, or the only one), built from the application's Kafka client, DataSource
 * and messaging options (watchdog, logger).
 */
export function inboxTransport(select: { groupId?: string } = {}): AsyncMicroserviceOptions {
  return {
    inject: [MESSAGING_OPTIONS, KAFKA_CLIENT, ModuleRef, ConsumerGroupRegistry],
    useFactory: (
      options: MessagingModuleOptions,
      client: KafkaClient,
      moduleRef: ModuleRef,
      registry: ConsumerGroupRegistry,
    ) => {
      const consumers = options.consumers ?? [];
      const groupOf = (definition: (typeof consumers)[number]) => definition.groupId ?? options.serviceName;
      const matching = select.groupId
        ? consumers.filter((definition) => groupOf(definition) === select.groupId)
        : consumers;
      if (matching.length !== 1)
        throw new Error(
          `inboxTransport(${select.groupId ?? ''}): MessagingModule declares ${matching.length} matching consumers, expected 1`,
        );
      const { groupId, topics, ...tuning } = matching[0];
      const dataSource = moduleRef.get<DataSource>(getDataSourceToken(options.dataSourceName) as string, {
        strict: false,
      });
      return {
        strategy: new InboxTransport(
          {
            ...tuning,
            client,
            dataSource,
            groupId: groupId ?? options.serviceName,
            topics,
            watchdog: { stallTimeoutMs: options.watchdogStallMs ?? 120_000 },
            logger: options.logger ?? defaultMessagingLogger(),
          },
          registry,
        ),
      };
    },
  };
}
