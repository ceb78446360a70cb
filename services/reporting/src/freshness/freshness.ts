import { consumerLag, type KafkaClient, type MessagingLogger } from '@backbone/messaging';
import type { DataSource, EntityManager } from 'typeorm';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Records between the group's committed offset and the end of the partition. */
  lag: number;
}

export interface LagSnapshot {
  measuredAt: string;
  total: number;
  partitions: PartitionLag[];
}

/** What every response says about how complete it is. */
export interface Freshness {
  /** Event time up to which the figures are complete (null before the first event). */
  completeUpTo: string | null;
  consumerLag: { messages: number | null; measuredAt: string | null };
}

/**
 * Measures the consumer group's lag per partition every few seconds (committed offset against
 * the end of each partition) and publishes it as `kafka_consumer_lag_messages` on /metrics, so
 * that idle partitions are reported too, not only those the consumer just committed on.
 */
export class LagMonitor {
  private latest: LagSnapshot | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly logger?: MessagingLogger,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    const tick = () =>
      this.refresh()
        .catch((error: unknown) =>
          this.logger?.warn('could not measure consumer lag', { error: String(error) }),
        )
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
        });
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  snapshot(): LagSnapshot | null {
    return this.latest;
  }

  async refresh(): Promise<LagSnapshot> {
    const partitions = await this.client.withAdmin(async (admin) => {
      const result: PartitionLag[] = [];
      for (const topic of this.topics) {
        const [ends, committed] = await Promise.all([
          admin.topicOffsets(topic),
          admin.committedOffsets(this.groupId, topic),
        ]);
        const committedBy = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
        for (const end of ends) {
          const position = committedBy.get(end.partition) ?? -1n;
          // No commit yet: the group starts at the beginning, so everything retained is lag.
          const from = position < 0n ? BigInt(end.low) : position;
          result.push({ topic, partition: end.partition, lag: Math.max(0, Number(BigInt(end.high) - from)) });
        }
      }
      return result;
    });
    for (const p of partitions)
      consumerLag.set({ group: this.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
    this.latest = {
      measuredAt: new Date().toISOString(),
      total: partitions.reduce((sum, p) => sum + p.lag, 0),
      partitions,
    };
    return this.latest;
  }
}

/** How far one topic-partition has been applied: the newest event time among its applied events. */
export interface AppliedPosition {
  topic: string;
  /** -1: applied before the consumer passed Kafka positions (the topic's events, partition unknown). */
  partition: number;
  maxEventTime: string;
}

/**
 * Up to which event time the figures are complete. When nothing is waiting, up to the moment the
 * lag was measured. Otherwise the minimum, over the partitions that still have records waiting,
 * of each one's newest applied event time: a partition's events are applied in offset order, so
 * everything before that time on it is in, while a caught-up partition limits nothing. A lagging
 * partition with nothing applied yet leaves no bound (null). Before the first lag measurement,
 * every applied partition is assumed to lag.
 */
export function completeUpToOf(applied: readonly AppliedPosition[], lag: LagSnapshot | null): string | null {
  if (lag && lag.total === 0) return lag.measuredAt;
  const appliedUpTo = new Map(applied.map((p) => [`${p.topic}\u0000${p.partition}`, p.maxEventTime]));
  const times = lag
    ? lag.partitions
        .filter((p) => p.lag > 0)
        // Rows of partition -1 (written before positions were passed) say nothing about one
        // partition, so a lagging partition is bounded by its own row only.
        .map((p) => appliedUpTo.get(`${p.topic}\u0000${p.partition}`) ?? null)
    : applied.map((p) => p.maxEventTime);
  if (times.length === 0 || times.includes(null)) return null;
  return (times as string[]).reduce((min, time) => (Date.parse(time) < Date.parse(min) ? time : min));
}

/** Freshness of one generation's tables, from its `stream_position` rows and the latest lag measurement. */
export async function freshnessOf(
  db: Pick<DataSource | EntityManager, 'query'>,
  schema: string,
  lag: LagSnapshot | null,
): Promise<Freshness> {
  const rows: { topic: string; kafka_partition: number; max_event_time: Date }[] = await db.query(
    `SELECT topic, kafka_partition, max_event_time FROM "${schema}".stream_position`,
  );
  const applied = rows.map((row) => ({
    topic: row.topic,
    partition: row.kafka_partition,
    maxEventTime: new Date(row.max_event_time).toISOString(),
  }));
  return {
    completeUpTo: completeUpToOf(applied, lag),
    consumerLag: { messages: lag?.total ?? null, measuredAt: lag?.measuredAt ?? null },
  };
}
