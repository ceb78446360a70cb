import type { DataSource } from 'typeorm';
import type {
  BatchConsumer,
  IncomingBatch,
  IncomingRecord,
  KafkaClient,
  MessageProducer,
} from '../kafka/kafka-client';
import { defaultMessagingLogger, type MessagingLogger } from '../logger';
import { consumedEvents, consumerLag, deadLettered } from '../metrics';
import { backoffMs, errorMessage, isTransientError, sleep } from '../transient-error';
import { deadLetterMessage, deadLetterTopicFor } from './dead-letters';
import {
  assertOneHandler,
  type ConsumerHandlers,
  DEAD_LETTER_REASONS,
  type DeadLetterReason,
} from './handlers';
import {
  advanceAppliedOffset,
  DEFAULT_APPLIED_OFFSET_SCOPE,
  readAppliedOffset,
  trustedMark,
} from './applied-offset';
import {
  type ApplyResult,
  EventIdConflictError,
  InboxProcessor,
  isInboxRace,
  type ParsedRecord,
  parseRecord,
} from './inbox-processor';
import { InboxPruner, type InboxRetentionOptions } from './inbox-retention';
import { ConsumerWatchdog } from './watchdog';

export interface IdempotentConsumerOptions {
  client: KafkaClient;
  dataSource: DataSource;
  /** The consumer group: the service name by convention. Also names `<group>.dlq`. */
  groupId: string;
  topics: string[];
  handlers: ConsumerHandlers;
  /** Attempts for a record whose handler fails with a non-transient error, before the dead letters. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Records applied per database transaction at most. */
  maxRecordsPerTransaction?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * Fetch sizing: the broker answers once `minBytes` are ready or after `maxWaitTimeMs`. Larger
   * fetches mean larger runs per transaction (throughput) at the cost of up to maxWaitTimeMs of latency.
   */
  fetch?: { minBytes?: number; maxWaitTimeMs?: number; maxBytes?: number; maxBytesPerPartition?: number };
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** A new group starts at the beginning of its topics (default) or at their end. */
  fromBeginning?: boolean;
  /**
   * Delete this database's inbox rows older than `retentionMs` every `intervalMs` (default 1 h),
   * keeping the newest row per (group, topic, partition). Off unless configured.
   */
  inboxRetention?: InboxRetentionOptions & { intervalMs?: number };
  /**
   * The applied-offset mark (table `consumer_applied_offset`): per topic-partition, the highest
   * offset applied or parked, moved in the batch's transaction and checked before the inbox, so
   * that a group whose committed offsets expired, or a renamed group, skips what this database
   * already applied even after the inbox rows were pruned. Keyed by `scope`, by default one per
   * database (not per group, so a rename keeps it): two consumers of the SAME topic with different
   * handlers in one database must each name their own scope.
   */
  appliedOffsets?: { scope?: string };
  /** Exit the process when the client neither fetches nor heartbeats for this long (0 disables). */
  watchdog?: { stallTimeoutMs: number; exit?: (code: number) => void };
  logger?: MessagingLogger;
  /** Test and benchmark seams: e.g. crash between the database commit and the offset commit, or time it. */
  hooks?: { afterDatabaseCommit?(records: IncomingRecord[]): Promise<void> | void };
}

type RunOutcome =
  | { kind: 'applied' }
  | { kind: 'stopped' }
  | { kind: 'conflict'; index: number; message: string }
  | { kind: 'failed'; message: string; attempts: number };

class Stopped extends Error {}

/**
 * Consumes with `eachBatch`: per run of records one database transaction (inbox + handler),
 * then the offset commit. Transient errors are retried with backoff inside the batch while
 * heartbeating, so the partition is kept; permanent ones go to `<group>.dlq` after bounded
 * attempts and the partition moves on. A failing run is retried record by record, so the
 * records before a poison one are applied once and the ones after it are not lost.
 */
export class IdempotentConsumer {
  private readonly processor: InboxProcessor;
  private readonly logger: MessagingLogger;
  private readonly dlqTopic: string;
  private consumer: BatchConsumer | undefined;
  private producer: MessageProducer | undefined;
  private watchdog: ConsumerWatchdog | undefined;
  private pruner: InboxPruner | undefined;
  private readonly markScope: string;
  /** Partitions whose mark another group moved: said once per process, not once per batch. */
  private readonly foreignMarksReported = new Set<string>();

  constructor(private readonly options: IdempotentConsumerOptions) {
    assertOneHandler(options.handlers, options.groupId);
    this.markScope = options.appliedOffsets?.scope ?? DEFAULT_APPLIED_OFFSET_SCOPE;
    this.processor = new InboxProcessor(
      options.dataSource,
      options.groupId,
      options.handlers,
      this.markScope,
    );
    this.logger = options.logger ?? defaultMessagingLogger();
    this.dlqTopic = deadLetterTopicFor(options.groupId);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  async start(): Promise<void> {
    const { client } = this.options;
    // Every reason's series exists from the start at 0, so that the first dead letter is an increase
    // Prometheus sees (a series born at 1 has no increase): the alert DeadLettersParked.
    for (const reason of DEAD_LETTER_REASONS) deadLettered.inc({ group: this.options.groupId, reason }, 0);
    // One partition: dead letters are few, and a single offset then names each of them.
    await client.withAdmin((admin) => admin.ensureTopics([{ topic: this.dlqTopic, numPartitions: 1 }]));
    this.producer = client.producer();
    await this.producer.connect();
    this.consumer = client.consumer({
      groupId: this.options.groupId,
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      ...this.options.fetch,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      heartbeatIntervalMs: this.options.heartbeatIntervalMs,
    });
    if (this.options.watchdog && this.options.watchdog.stallTimeoutMs > 0) {
      const watchdog = new ConsumerWatchdog({
        name: this.options.groupId,
        stallTimeoutMs: this.options.watchdog.stallTimeoutMs,
        exit: this.options.watchdog.exit,
        logger: this.logger,
        backlog: () => this.backlog(),
      });
      this.watchdog = watchdog;
      this.consumer.onActivity((activity) => {
        if (activity === 'fetch' || activity === 'heartbeat') watchdog.touch();
        if (activity === 'batch-start' || activity === 'batch-end') watchdog.progress();
      });
      watchdog.start();
    }
    this.consumer.onActivity((activity, detail) => {
      if (activity === 'crash')
        this.logger.warn('kafka consumer crashed; the client restarts it', {
          group: this.options.groupId,
          error: detail,
        });
      // kafkajs gives up on some errors it calls non-retriable although a broker restart causes them
      // ("Failed to find group coordinator"): the consumer is dead. Without a watchdog, say so loudly.
      if (activity === 'fatal-crash') {
        if (this.watchdog) this.watchdog.clientDied(detail ?? 'unknown error');
        else
          this.logger.error(
            'kafka consumer crashed and the client will not restart it; nothing is consumed',
            {
              group: this.options.groupId,
              error: detail,
            },
          );
      }
    });
    await this.consumer.connect();
    await this.consumer.run((batch) => this.processBatch(batch));
    if (this.options.inboxRetention) {
      this.pruner = new InboxPruner(this.options.dataSource, {
        ...this.options.inboxRetention,
        logger: this.logger,
      });
      this.pruner.start();
    }
  }

  /**
   * Records waiting in this member's partitions (all of the group's while it has no assignment):
   * high watermark minus the group's committed offset. For the watchdog, asked rarely.
   */
  private async backlog(): Promise<number | undefined> {
    const consumer = this.consumer;
    if (!consumer) return undefined;
    const assigned = consumer.assignedPartitions();
    return this.options.client.withAdmin(async (admin) => {
      let waiting = 0n;
      for (const topic of this.options.topics) {
        const mine = assigned ? new Set(assigned[topic] ?? []) : undefined;
        const committed = new Map(
          (await admin.committedOffsets(this.options.groupId, topic)).map((p) => [p.partition, p.offset]),
        );
        for (const end of await admin.topicOffsets(topic)) {
          if (mine && !mine.has(end.partition)) continue;
          const low = BigInt(end.low);
          const high = BigInt(end.high);
          const offset = committed.get(end.partition);
          const unset = offset === undefined || BigInt(offset) < 0n;
          if (unset && this.options.fromBeginning === false) continue;
          const from = unset || BigInt(offset) < low ? low : BigInt(offset);
          if (high > from) waiting += high - from;
        }
      }
      return Number(waiting);
    });
  }

  /** Stops fetching, lets the running transaction finish and commit, leaves the group. */
  async stop(): Promise<void> {
    this.watchdog?.stop();
    await this.pruner?.stop();
    this.pruner = undefined;
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  private async processBatch(batch: IncomingBatch): Promise<void> {
    const handledTypes = this.options.handlers.handledTypes;
    const parsed = batch.records.map((record) => parseRecord(record, handledTypes));
    const maxRun = this.options.maxRecordsPerTransaction ?? 1_000;
    let i = 0;
    // After a run failed for a non-transient reason, its records are retried one by one.
    let singleUntil = -1;
    try {
      while (i < parsed.length) {
        if (!batch.shouldContinue()) return;
        const current = parsed[i];
        if (current.failure) {
          if (await this.isBelowMark(batch, current.record)) {
            // Parked before the offsets were lost: parking it again would only repeat the dead letter.
            consumedEvents.inc({ group: this.options.groupId, outcome: 'duplicate' });
          } else {
            await this.deadLetter(batch, current, current.failure.reason, current.failure.message, 1);
          }
          await this.commitThrough(batch, current.record);
          i += 1;
          continue;
        }
        let end = i + 1;
        if (i >= singleUntil) {
          while (end < parsed.length && !parsed[end].failure && end - i < maxRun) end += 1;
        }
        const run = parsed.slice(i, end);
        const outcome = await this.applyRun(batch, run);
        if (outcome.kind === 'stopped') return;
        if (outcome.kind === 'applied') {
          await this.options.hooks?.afterDatabaseCommit?.(run.map((r) => r.record));
          await this.commitThrough(batch, run[run.length - 1].record);
          i = end;
        } else if (outcome.kind === 'conflict') {
          // Apply what precedes it on the next turn, then park it.
          parsed[i + outcome.index].failure = { reason: 'id-conflict', message: outcome.message };
        } else if (run.length > 1) {
          singleUntil = end;
        } else {
          await this.deadLetter(batch, current, 'handler-failed', outcome.message, outcome.attempts);
          await this.commitThrough(batch, current.record);
          i += 1;
        }
      }
    } catch (error) {
      if (error instanceof Stopped) return;
      throw error;
    }
  }

  private async applyRun(batch: IncomingBatch, run: ParsedRecord[]): Promise<RunOutcome> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    let permanentFailures = 0;
    let transientFailures = 0;
    for (;;) {
      if (!batch.shouldContinue()) return { kind: 'stopped' };
      try {
        const result = await this.processor.apply(run, { highWatermark: batch.highWatermark });
        this.reportMark(batch, result);
        consumedEvents.inc({ group: this.options.groupId, outcome: 'applied' }, result.applied);
        if (result.duplicates > 0)
          consumedEvents.inc({ group: this.options.groupId, outcome: 'duplicate' }, result.duplicates);
        if (transientFailures > 0)
          this.logger.info('consumer recovered', { group: this.options.groupId, transientFailures });
        return { kind: 'applied' };
      } catch (error) {
        if (error instanceof EventIdConflictError)
          return { kind: 'conflict', index: error.index, message: error.message };
        if (isTransientError(error) || isInboxRace(error)) {
          transientFailures += 1;
          this.logger.warn('transient failure applying a batch; retrying', {
            group: this.options.groupId,
            topic: batch.topic,
            partition: batch.partition,
            attempt: transientFailures,
            error: errorMessage(error),
          });
          await this.pause(batch, transientFailures);
          continue;
        }
        permanentFailures += 1;
        if (run.length > 1 || permanentFailures >= maxAttempts) {
          return { kind: 'failed', message: errorMessage(error), attempts: permanentFailures };
        }
        await this.pause(batch, permanentFailures);
      }
    }
  }

  /** Backoff that keeps the group membership alive; throws Stopped when the partition is lost. */
  private async pause(batch: IncomingBatch, attempt: number): Promise<void> {
    const until =
      Date.now() +
      backoffMs(attempt, this.options.initialBackoffMs ?? 200, this.options.maxBackoffMs ?? 10_000);
    while (Date.now() < until) {
      if (!batch.shouldContinue()) throw new Stopped();
      // Backing off on a failing database is not a stuck client.
      this.watchdog?.progress();
      await sleep(Math.min(1_000, until - Date.now()));
      try {
        await batch.heartbeat();
      } catch (error) {
        // A rebalance took the partition away: stop; uncommitted records go to the new owner.
        if (!isTransientError(error)) throw new Stopped();
      }
    }
  }

  private async deadLetter(
    batch: IncomingBatch,
    parsed: ParsedRecord,
    reason: DeadLetterReason,
    message: string,
    attempts: number,
  ) {
    const letter = deadLetterMessage(this.options.groupId, parsed.record, reason, message, attempts);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.producer!.send([{ topic: this.dlqTopic, messages: [letter] }]);
        break;
      } catch (error) {
        this.logger.warn('could not write a dead letter; retrying', {
          group: this.options.groupId,
          error: errorMessage(error),
        });
        await this.pause(batch, attempt);
      }
    }
    deadLettered.inc({ group: this.options.groupId, reason });
    // Parked counts as handled for the mark: after lost offsets it is skipped, not parked again.
    await this.withDatabaseRetries(batch, () =>
      advanceAppliedOffset(
        this.options.dataSource,
        this.markRef(parsed.record),
        parsed.record.offset,
        this.options.groupId,
      ),
    );
    this.logger.warn('record parked in the dead letters', {
      group: this.options.groupId,
      topic: parsed.record.topic,
      partition: parsed.record.partition,
      offset: parsed.record.offset,
      reason,
      attempts,
      error: message,
    });
  }

  private markRef(record: IncomingRecord) {
    return { scope: this.markScope, topic: record.topic, partition: record.partition };
  }

  private async isBelowMark(batch: IncomingBatch, record: IncomingRecord): Promise<boolean> {
    const mark = await this.withDatabaseRetries(batch, () =>
      readAppliedOffset(this.options.dataSource, this.markRef(record)),
    );
    return mark !== undefined && BigInt(record.offset) <= trustedMark(mark.offset, batch.highWatermark);
  }

  /** Runs a small database step outside the batch transaction, retrying transient failures like a batch. */
  private async withDatabaseRetries<T>(batch: IncomingBatch, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isTransientError(error)) throw error;
        this.logger.warn('transient database failure; retrying', {
          group: this.options.groupId,
          attempt,
          error: errorMessage(error),
        });
        await this.pause(batch, attempt);
      }
    }
  }

  private reportMark(batch: IncomingBatch, result: ApplyResult): void {
    if (result.staleMark !== undefined)
      this.logger.warn('applied-offset mark beyond the end of the log ignored: the topic was recreated', {
        group: this.options.groupId,
        topic: batch.topic,
        partition: batch.partition,
        mark: result.staleMark,
        highWatermark: batch.highWatermark,
      });
    const key = `${batch.topic}:${batch.partition}`;
    if (result.markGroup !== undefined && !this.foreignMarksReported.has(key)) {
      this.foreignMarksReported.add(key);
      this.logger.warn(
        'skipping records another group of this database applied (a renamed group); if it is a different consumer of the same topic, give each its own appliedOffsets scope',
        {
          group: this.options.groupId,
          markGroup: result.markGroup,
          topic: batch.topic,
          partition: batch.partition,
          scope: this.markScope,
        },
      );
    }
  }

  private async commitThrough(batch: IncomingBatch, record: IncomingRecord): Promise<void> {
    try {
      await batch.commitThrough(record.offset);
    } catch (error) {
      // The work is in the database and the inbox: a redelivery after this is skipped as a duplicate.
      this.logger.warn('offset commit failed; the records will be redelivered and skipped', {
        group: this.options.groupId,
        error: errorMessage(error),
      });
      throw new Stopped();
    }
    this.watchdog?.progress();
    consumerLag.set(
      { group: this.options.groupId, topic: batch.topic, partition: String(batch.partition) },
      Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(record.offset) - 1n)),
    );
  }
}
