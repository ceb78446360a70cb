import type { DataSource } from 'typeorm';
import type { MessagingLogger } from '../logger';
import { errorMessage } from '../transient-error';

export interface InboxRetentionOptions {
  /** Inbox rows processed longer ago than this may be deleted. */
  retentionMs: number;
  /** Rows deleted per statement (each its own short transaction), so a large backlog never holds long locks. */
  chunkSize?: number;
}

/**
 * Deletes inbox rows older than the retention period, but always keeps the newest row (highest
 * offset) of each (consumer group, topic, partition): readers such as the reporting rebuild take
 * a group's live position from it. A record redelivered after its row was pruned is still skipped
 * by the partition's applied-offset mark (see applied-offset.ts), whether the group's offsets were
 * lost or the group renamed; what the mark cannot catch is the same event published again at a
 * later offset (a relay retry, seconds apart), so keep the retention far longer than that.
 * Returns the number of rows deleted.
 */
export async function pruneInbox(dataSource: DataSource, options: InboxRetentionOptions): Promise<number> {
  const chunkSize = options.chunkSize ?? 20_000;
  let total = 0;
  for (;;) {
    // One snapshot per statement: the newest row of each partition in it is never among the doomed,
    // and rows added meanwhile only have higher offsets.
    const result: [unknown[], number] = await dataSource.query(
      `WITH newest AS (
         SELECT consumer_group, topic, kafka_partition, max(kafka_offset) AS kafka_offset
         FROM inbox GROUP BY consumer_group, topic, kafka_partition
       ), doomed AS (
         SELECT i.consumer_group, i.event_id FROM inbox i
         WHERE i.processed_at < now() - $1::bigint * interval '1 millisecond'
           AND NOT EXISTS (
             SELECT 1 FROM newest n
             WHERE n.consumer_group = i.consumer_group AND n.topic = i.topic
               AND n.kafka_partition = i.kafka_partition AND n.kafka_offset = i.kafka_offset)
         LIMIT $2
       )
       DELETE FROM inbox d USING doomed
       WHERE d.consumer_group = doomed.consumer_group AND d.event_id = doomed.event_id`,
      [options.retentionMs, chunkSize],
    );
    const deleted = result[1];
    total += deleted;
    if (deleted < chunkSize) return total;
  }
}

/** Runs pruneInbox every `intervalMs` (first run after one interval) until stopped. */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: InboxRetentionOptions & { intervalMs?: number; logger?: MessagingLogger },
  ) {}

  start(): void {
    if (this.timer) return;
    const intervalMs = this.options.intervalMs ?? 3_600_000;
    this.timer = setInterval(() => {
      this.running ??= this.pruneOnce().finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pruneOnce(): Promise<void> {
    try {
      const deleted = await pruneInbox(this.dataSource, this.options);
      if (deleted > 0) this.options.logger?.info('inbox pruned', { deleted });
    } catch (error) {
      // The next interval tries again; a failed prune costs disk space, never correctness.
      this.options.logger?.warn('inbox pruning failed', { error: errorMessage(error) });
    }
  }
}
