import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { eventMessage } from '../kafka/event-message';
import type { KafkaClient, MessageProducer, TopicMessages } from '../kafka/kafka-client';
import { defaultMessagingLogger, type MessagingLogger } from '../logger';
import { outboxBacklog, outboxOldestAge, outboxPublished } from '../metrics';
import { OUTBOX_NOTIFY_CHANNEL } from '../migrations';
import { backoffMs, errorMessage, sleep } from '../transient-error';
import { endSpan, startPublishSpan } from '../tracing';
import { OUTBOX_LANE_LOCK_NAMESPACE, OUTBOX_LANES } from './lanes';
import { Wakeup } from './wakeup';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  client: KafkaClient;
  /** Label of the metrics; usually the service name. */
  serviceName: string;
  /** Rows per Kafka sendBatch and per marking transaction. */
  batchSize?: number;
  /**
   * Cycles this relay runs at once, each on its own lanes and connection: the database work of
   * one overlaps the Kafka round trip of another. Per-key order still holds (lane locks).
   */
  concurrency?: number;
  /** Lanes one cycle takes; default: an even share of the lanes per concurrent cycle. */
  maxLanesPerCycle?: number;
  /** Polling fallback when no NOTIFY arrives (lost listener connection, missed notification). */
  pollIntervalMs?: number;
  /** Published rows are deleted once older than this. */
  retentionMs?: number;
  pruneIntervalMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: MessagingLogger;
  /** Test seams only: e.g. kill the process after Kafka acknowledged a batch but before marking it. */
  hooks?: { afterPublish?(positions: string[]): Promise<void> | void };
}

interface PendingRow {
  position: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  payload: string;
  /** The event's trace context (null when not traced) and, when traced, when it entered the outbox. */
  traceparent: string | null;
  tracestate: string | null;
  created_at: Date | null;
}

/**
 * Publishes outbox rows to Kafka. Each cycle is one database transaction: lock some lanes
 * (advisory locks, so one lane is worked by one relay at a time), read their pending rows in
 * position order, send them in one batch, mark them published, commit. It reads by
 * `published_at IS NULL`, never "after the last position", so a row whose transaction
 * commits late is still found. A crash between send and commit republishes the batch:
 * at-least-once, and consumers deduplicate on the event id.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly maxLanesPerCycle: number;
  private readonly pollIntervalMs: number;
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly logger: MessagingLogger;
  private readonly wakeup = new Wakeup();
  private producer: MessageProducer | undefined;
  private producerConnected = false;
  private listener: Client | undefined;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly concurrency: number;
  private lastPrune = 0;
  private lastMetrics = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 1_000;
    this.concurrency = options.concurrency ?? 2;
    this.maxLanesPerCycle = options.maxLanesPerCycle ?? Math.ceil(OUTBOX_LANES / this.concurrency);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionMs = options.retentionMs ?? 24 * 3_600_000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.logger = options.logger ?? defaultMessagingLogger();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.producer = this.options.client.producer();
    this.loops = Array.from({ length: this.concurrency }, (_, worker) => this.runLoop(worker));
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeup.wake();
    await Promise.all(this.loops);
    this.loops = [];
    await this.closeListener();
    if (this.producerConnected) await this.producer?.disconnect().catch(() => undefined);
    this.producerConnected = false;
  }

  private async runLoop(worker: number): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.ensureConnected();
        const published = await this.publishCycle();
        if (failures > 0)
          this.logger.info('outbox relay recovered', { service: this.options.serviceName, failures });
        failures = 0;
        // Metrics and pruning once per relay, not once per concurrent cycle; the metrics also while
        // busy, pruning only when idle.
        if (worker === 0) await this.housekeeping(published === 0);
        if (published > 0) continue;
        await this.wakeup.wait(this.pollIntervalMs);
      } catch (error) {
        failures += 1;
        // The backlog and its age keep growing on /metrics while Kafka is away (the alert
        // OutboxOldestEventTooOld depends on it); a database that is away too leaves them as they were.
        if (worker === 0) await this.refreshMetrics().catch(() => undefined);
        // One line per failure streak step, not per row: the backlog metric shows the rest.
        this.logger.warn('outbox relay cycle failed; retrying', {
          service: this.options.serviceName,
          attempt: failures,
          error: errorMessage(error),
        });
        if (failures >= 3) await this.resetProducer();
        await sleep(
          backoffMs(failures, this.options.initialBackoffMs ?? 200, this.options.maxBackoffMs ?? 5_000),
        );
      }
    }
  }

  /** One cycle; returns the number of rows published. Public so tests and tools can drain synchronously. */
  async publishCycle(): Promise<number> {
    const queryRunner = this.options.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      // OFFSET 0 fences the subquery, so a lock is only attempted for lanes that have pending rows.
      const lanes: { lane: number }[] = await queryRunner.query(
        `SELECT lane FROM (
           SELECT l AS lane FROM generate_series(0, $1::int - 1) AS l
           WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.lane = l AND o.published_at IS NULL)
           ORDER BY random() OFFSET 0
         ) pending
         WHERE pg_try_advisory_xact_lock($2::int, pending.lane)
         LIMIT $3`,
        [OUTBOX_LANES, OUTBOX_LANE_LOCK_NAMESPACE, this.maxLanesPerCycle],
      );
      if (lanes.length === 0) {
        await queryRunner.commitTransaction();
        return 0;
      }
      const rows: PendingRow[] = await queryRunner.query(
        `SELECT position, event_id, topic, message_key, event_type, payload, traceparent, tracestate,
                CASE WHEN traceparent IS NOT NULL THEN created_at END AS created_at
         FROM outbox
         WHERE published_at IS NULL AND lane = ANY($1::int[])
         ORDER BY position LIMIT $2
         FOR UPDATE SKIP LOCKED`,
        [lanes.map((l) => l.lane), this.batchSize],
      );
      if (rows.length === 0) {
        await queryRunner.commitTransaction();
        return 0;
      }
      await this.send(rows);
      const positions = rows.map((row) => row.position);
      await this.options.hooks?.afterPublish?.(positions);
      await queryRunner.query(`UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
        positions,
      ]);
      await queryRunner.commitTransaction();
      outboxPublished.inc({ service: this.options.serviceName }, rows.length);
      return rows.length;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await queryRunner.release();
    }
  }

  /**
   * Sends one batch. Traced rows get a PRODUCER span each, child of the trace their event carries,
   * from the moment the row entered the outbox until Kafka acknowledged it (no span otherwise).
   */
  private async send(rows: PendingRow[]): Promise<void> {
    let spans: ReturnType<typeof startPublishSpan>[] | undefined;
    for (const row of rows)
      if (row.traceparent !== null)
        (spans ??= []).push(
          startPublishSpan({
            ...row,
            traceparent: row.traceparent,
            created_at: row.created_at ?? new Date(),
            service: this.options.serviceName,
          }),
        );
    try {
      await this.producer!.send(groupByTopic(rows));
    } catch (error) {
      spans?.forEach((span) => endSpan(span, error));
      throw error;
    }
    spans?.forEach((span) => endSpan(span));
  }

  private connecting: Promise<void> | undefined;

  /** Shared by the concurrent cycles: one connect at a time. */
  private async ensureConnected(): Promise<void> {
    if (this.producerConnected && this.listener) return;
    this.connecting ??= (async () => {
      if (!this.producerConnected) {
        await this.producer!.connect();
        this.producerConnected = true;
      }
      if (!this.listener) await this.openListener();
    })().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  private async resetProducer(): Promise<void> {
    if (!this.producerConnected) return;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = this.options.client.producer();
    this.producerConnected = false;
  }

  private async openListener(): Promise<void> {
    const listener = new Client(pgConfigOf(this.options.dataSource));
    // A lost LISTEN connection only slows the relay down to polling; reopen it on the next cycle.
    listener.on('error', () => {
      if (this.listener === listener) this.listener = undefined;
      listener.end().catch(() => undefined);
    });
    listener.on('notification', () => this.wakeup.wake());
    try {
      await listener.connect();
      await listener.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
      this.listener = listener;
    } catch (error) {
      await listener.end().catch(() => undefined);
      throw error;
    }
  }

  private async closeListener(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async housekeeping(idle: boolean): Promise<void> {
    await this.refreshMetrics();
    if (!idle) return;
    const now = Date.now();
    if (now - this.lastPrune >= this.pruneIntervalMs) {
      this.lastPrune = now;
      await this.prunePublished();
    }
  }

  /** updateMetrics at most once per min(pollIntervalMs, 5 s). */
  private async refreshMetrics(): Promise<void> {
    const now = Date.now();
    if (now - this.lastMetrics < Math.min(this.pollIntervalMs, 5_000)) return;
    this.lastMetrics = now;
    await this.updateMetrics();
  }

  async updateMetrics(): Promise<{ backlog: number; oldestAgeSeconds: number }> {
    const [row]: { backlog: number; age: number | null }[] = await this.options.dataSource.query(
      `SELECT count(*)::int AS backlog, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL`,
    );
    const result = { backlog: row.backlog, oldestAgeSeconds: row.age ?? 0 };
    outboxBacklog.set({ service: this.options.serviceName }, result.backlog);
    outboxOldestAge.set({ service: this.options.serviceName }, result.oldestAgeSeconds);
    return result;
  }

  /** Deletes published rows older than the retention period, in bounded chunks. Returns rows deleted. */
  async prunePublished(): Promise<number> {
    let total = 0;
    for (;;) {
      const result: [unknown[], number] = await this.options.dataSource.query(
        `DELETE FROM outbox WHERE position IN (
           SELECT position FROM outbox
           WHERE published_at IS NOT NULL AND published_at < now() - $1::int * interval '1 millisecond'
           LIMIT 5000)`,
        [this.retentionMs],
      );
      const deleted = result[1];
      total += deleted;
      if (deleted < 5000) return total;
    }
  }
}

function groupByTopic(rows: PendingRow[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const row of rows) {
    let entry = byTopic.get(row.topic);
    if (!entry) {
      entry = { topic: row.topic, messages: [] };
      byTopic.set(row.topic, entry);
    }
    entry.messages.push(eventMessage(row.event_id, row.event_type, row.message_key, row.payload));
  }
  return [...byTopic.values()];
}

/** Connection settings of a TypeORM postgres DataSource, for a plain pg client (LISTEN needs its own connection). */
export function pgConfigOf(dataSource: DataSource): ClientConfig {
  // The postgres fields of DataSourceOptions (typeorm's deep type path is not exported for nodenext).
  const options = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: unknown;
    database?: string;
  };
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
  };
}
