import { randomUUID } from 'node:crypto';
import {
  type Consumer,
  type EachBatchPayload,
  type ICustomPartitioner,
  type IHeaders,
  Kafka,
  type KafkaMessage,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { KafkaSecurity } from './kafka-security';

// The only file that imports kafkajs: services and the rest of this lib see the small
// interfaces below, so the client library can be swapped without touching them.

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/**
 * `sasl` and `tls` come from `kafkaSecurityFromSettings(config)` (kafka-security.ts); both unset:
 * PLAINTEXT without authentication (the local default, refused in production).
 */
export interface KafkaClientOptions extends KafkaSecurity {
  brokers: string[];
  clientId: string;
  logLevel?: KafkaLogLevel;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /**
   * How often the client retries a failed connection or request (default 8, with backoff up to 10 s).
   * A broker refusing the TLS handshake is retried like any connection error.
   */
  retries?: number;
}

export interface OutgoingMessage {
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

/**
 * An idempotent producer (acks from all in-sync replicas, one request in flight: with more,
 * kafkajs#1005 can lose or reorder messages on retries).
 */
export interface MessageProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** One `sendBatch` call: messages of one topic keep their order per partition. */
  send(batch: TopicMessages[]): Promise<void>;
}

export interface IncomingRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string the broker returns. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  highWatermark: string;
  records: IncomingRecord[];
  /** Keeps the group membership alive during long work; throttled by the client. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was revoked: stop and let it be redelivered. */
  shouldContinue(): boolean;
  /**
   * Marks records up to `offset` as done in this process (the next fetch starts after it) and
   * commits that position for the group. Records not marked are fetched again.
   */
  commitThrough(offset: string): Promise<void>;
  /** Like commitThrough, without committing for the group (readers that keep no position). */
  resolveThrough(offset: string): void;
}

/** `crash`: kafkajs restarts the consumer itself; `fatal-crash`: it does not (the consumer is dead). */
export type ConsumerActivity =
  'join' | 'fetch' | 'heartbeat' | 'batch-start' | 'batch-end' | 'crash' | 'fatal-crash' | 'stop';

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How many partitions this process works on at once (each in its own database transaction). */
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  /** Bytes a fetch waits for (up to maxWaitTimeMs) before the broker answers: bigger batches, fewer transactions. */
  minBytes?: number;
  maxWaitTimeMs?: number;
  /** Bytes of one fetch response over all partitions. */
  maxBytes?: number;
}

export interface BatchConsumer {
  readonly groupId: string;
  connect(): Promise<void>;
  /** Starts fetching; `eachBatch` resolves offsets itself through `commit`. */
  run(eachBatch: (batch: IncomingBatch) => Promise<void>): Promise<void>;
  /** Stops fetching, lets the running batch finish, leaves the group. */
  disconnect(): Promise<void>;
  onActivity(listener: (activity: ConsumerActivity, detail?: string) => void): void;
  /**
   * The partitions per topic the group gave this member at its latest join, or undefined while it
   * has not joined since it started or last crashed.
   */
  assignedPartitions(): Record<string, number[]> | undefined;
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
}

export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

export interface KafkaAdminHelpers {
  /** Creates the topics that do not exist yet (the brokers refuse to create topics implicitly). */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  committedOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]>;
  deleteGroups(groupIds: string[]): Promise<void>;
}

export interface KafkaClient {
  readonly brokers: string[];
  readonly clientId: string;
  producer(): MessageProducer;
  consumer(options: BatchConsumerOptions): BatchConsumer;
  /** Runs `work` with a connected admin client, then disconnects it. */
  withAdmin<T>(work: (admin: KafkaAdminHelpers) => Promise<T>): Promise<T>;
}

const LOG_LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: LOG_LEVELS[options.logLevel ?? 'error'],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ...(options.sasl ? { sasl: { ...options.sasl } } : {}),
    // TLS always verifies the broker's chain and host name (Node's default); there is no option to
    // turn that off. A CA of our own (Strimzi's cluster CA) replaces the public roots.
    ...(options.tls
      ? {
          ssl: {
            rejectUnauthorized: true,
            ...(options.tls.ca ? { ca: [options.tls.ca] } : {}),
            ...(options.tls.cert ? { cert: options.tls.cert } : {}),
            ...(options.tls.key ? { key: options.tls.key } : {}),
          },
        }
      : {}),
    // Our own loops retry with backoff (relay, consumer); the client's retries only smooth blips.
    retry: { initialRetryTime: 300, retries: options.retries ?? 8, maxRetryTime: 10_000 },
  });
  return {
    brokers: options.brokers,
    clientId: options.clientId,
    producer: () => {
      const partitions = new PartitionCounts();
      return wrapProducer(
        kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: partitions.partitioner(),
        }),
        partitions,
      );
    },
    consumer: (consumerOptions) => wrapConsumer(kafka, consumerOptions),
    async withAdmin(work) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await work({
          async ensureTopics(topics) {
            const existing = new Set(await admin.listTopics());
            const missing = topics.filter((spec) => !existing.has(spec.topic));
            if (missing.length === 0) return;
            try {
              await admin.createTopics({
                waitForLeaders: true,
                topics: missing.map((spec) => ({
                  topic: spec.topic,
                  numPartitions: spec.numPartitions ?? 1,
                  // The broker's default.replication.factor: 1 on a single node, 3 on the cluster
                  // (KAFKA_NODES=3, min.insync.replicas=2: a topic of 1 replica could take no acks=all write).
                  replicationFactor: spec.replicationFactor ?? -1,
                })),
              });
            } catch (error) {
              // Another process may have created one concurrently: only fail if still missing.
              const now = new Set(await admin.listTopics());
              if (missing.some((spec) => !now.has(spec.topic))) throw error;
            }
          },
          async topicOffsets(topic) {
            const offsets = await admin.fetchTopicOffsets(topic);
            return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }));
          },
          async committedOffsets(groupId, topic) {
            const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
            return (result?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
          },
          async deleteGroups(groupIds) {
            await admin.deleteGroups(groupIds);
          },
        });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

function wrapProducer(producer: Producer, partitions: PartitionCounts): MessageProducer {
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async send(batch) {
      if (batch.every((entry) => entry.messages.length === 0)) return;
      const acknowledged = await producer.sendBatch({
        acks: -1,
        topicMessages: batch.map((entry) => ({
          topic: entry.topic,
          messages: entry.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
      const missing = unacknowledgedPartitions(batch, acknowledged, (topic) => partitions.count(topic));
      if (missing.length > 0) throw new PartialAcknowledgementError(missing);
    },
  };
}

/**
 * kafkajs 2.2.4 resolved a sendBatch whose retry never sent some partitions: it keeps one response
 * per broker across its internal retries, so partitions that moved from a dead leader to a broker
 * that had already answered are not sent again (tulios/kafkajs#1798). The send fails instead, and
 * the caller (the outbox relay) publishes the batch again; consumers skip the copies.
 */
export class PartialAcknowledgementError extends Error {
  readonly retriable = true;
  constructor(readonly partitions: string[]) {
    super(
      `Kafka acknowledged the batch without ${partitions.join(', ')}: the client's retry skipped them after a leader change; not published`,
    );
    this.name = 'PartialAcknowledgementError';
  }
}

/**
 * The topic-partitions a batch's keyed messages go to (kafkajs's default partitioner over the
 * partition count it last saw) that the broker's answer does not name. Unknown counts and messages
 * without a key are not checked (a null key goes round-robin).
 */
export function unacknowledgedPartitions(
  batch: TopicMessages[],
  acknowledged: { topicName: string; partition: number }[],
  partitionCount: (topic: string) => number | undefined,
): string[] {
  const answered = new Set(acknowledged.map((a) => `${a.topicName}:${a.partition}`));
  const missing = new Set<string>();
  for (const entry of batch) {
    const count = partitionCount(entry.topic);
    if (count === undefined || count < 1) continue;
    for (const message of entry.messages) {
      if (message.key === null) continue;
      const name = `${entry.topic}:${keyPartition(message.key, count)}`;
      if (!answered.has(name)) missing.add(name);
    }
  }
  return [...missing].sort();
}

const defaultPartition = Partitioners.DefaultPartitioner();

/** The partition kafkajs's default (Java-compatible murmur2) partitioner gives a key. */
export function keyPartition(key: string, partitionCount: number): number {
  return defaultPartition({
    topic: '',
    partitionMetadata: Array.from({ length: partitionCount }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [],
      isr: [],
    })),
    message: { key, value: null },
  });
}

/** kafkajs's default partitioner, noting each topic's partition count as it partitions. */
class PartitionCounts {
  private readonly counts = new Map<string, number>();

  partitioner(): ICustomPartitioner {
    return () => {
      const partition = Partitioners.DefaultPartitioner();
      return (args) => {
        this.counts.set(args.topic, args.partitionMetadata.length);
        return partition(args);
      };
    };
  }

  count(topic: string): number | undefined {
    return this.counts.get(topic);
  }
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * A fetched record. Headers and key are decoded on first read: the consumer's hot path reads
 * only the value, and decoding every header of every record into strings was garbage per event.
 */
class KafkaRecord implements IncomingRecord {
  readonly offset: string;
  readonly value: Buffer | null;
  readonly timestamp: string;
  private decodedHeaders: Record<string, string> | undefined;
  private decodedKey: string | null | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly message: KafkaMessage,
  ) {
    this.offset = message.offset;
    this.value = message.value;
    this.timestamp = message.timestamp;
  }

  get key(): string | null {
    if (this.decodedKey === undefined)
      this.decodedKey = this.message.key ? this.message.key.toString('utf8') : null;
    return this.decodedKey;
  }

  get headers(): Record<string, string> {
    this.decodedHeaders ??= headersToStrings(this.message.headers);
    return this.decodedHeaders;
  }
}

function wrapConsumer(kafka: Kafka, options: BatchConsumerOptions): BatchConsumer {
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    minBytes: options.minBytes ?? 1,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 5_000,
    maxBytes: options.maxBytes ?? 10_485_760,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
  });
  const listeners: ((activity: ConsumerActivity, detail?: string) => void)[] = [];
  const emit = (activity: ConsumerActivity, detail?: string) =>
    listeners.forEach((listener) => listener(activity, detail));
  // A commit refused after kafkajs's retries (CommitRefusedError): until the group is joined again,
  // the batches already fetched are handed back unprocessed rather than each waiting out its own
  // refused commit (~40 s apiece, one after another: minutes before kafkajs rejoins).
  let refusedCommit: unknown;
  let assignment: Record<string, number[]> | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    refusedCommit = undefined;
    assignment = { ...event.payload.memberAssignment };
    emit('join');
  });
  consumer.on(consumer.events.FETCH_START, () => emit('fetch'));
  consumer.on(consumer.events.HEARTBEAT, () => emit('heartbeat'));
  consumer.on(consumer.events.START_BATCH_PROCESS, () => emit('batch-start'));
  consumer.on(consumer.events.END_BATCH_PROCESS, () => emit('batch-end'));
  consumer.on(consumer.events.CRASH, (event) => {
    assignment = undefined;
    emit(event.payload.restart ? 'crash' : 'fatal-crash', String(event.payload.error));
  });
  consumer.on(consumer.events.STOP, () => emit('stop'));

  return {
    groupId: options.groupId,
    async connect() {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    },
    async run(eachBatch) {
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
        eachBatch: async (payload: EachBatchPayload) => {
          const { batch } = payload;
          if (refusedCommit !== undefined) throw new CommitRefusedError(refusedCommit);
          await eachBatch({
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            records: batch.messages.map((m) => new KafkaRecord(batch.topic, batch.partition, m)),
            heartbeat: async () => {
              await payload.heartbeat();
              emit('heartbeat');
            },
            shouldContinue: () => payload.isRunning() && !payload.isStale(),
            resolveThrough: (offset) => payload.resolveOffset(offset),
            commitThrough: async (offset) => {
              payload.resolveOffset(offset);
              try {
                await consumer.commitOffsets([
                  {
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: (BigInt(offset) + 1n).toString(),
                  },
                ]);
              } catch (error) {
                refusedCommit = error;
                throw error;
              }
            },
          });
          if (refusedCommit !== undefined) throw new CommitRefusedError(refusedCommit);
        },
      });
    },
    disconnect: () => consumer.disconnect(),
    onActivity(listener) {
      listeners.push(listener);
    },
    assignedPartitions: () => assignment,
  };
}

/**
 * Ends a batch whose offset commit kafkajs gave up on (after its own retries). Such a commit went to
 * a group coordinator that no longer is one — its node was killed, or leadership of the offsets
 * partition moved — and kafkajs keeps sending commits and heartbeats there ("not the correct
 * coordinator") without rejoining (tulios/kafkajs#1779): the group stalled for minutes in the
 * three-node fault suite. kafkajs's runner rejoins the group, looking the coordinator up again, on
 * an error of this `type`; the batch's uncommitted records come again and the inbox skips them.
 */
export class CommitRefusedError extends Error {
  override readonly name = 'CommitRefusedError';
  readonly type = 'NOT_COORDINATOR_FOR_GROUP';
  constructor(refusal: unknown) {
    super(
      `offset commit refused (${refusal instanceof Error ? refusal.message : String(refusal)}): rejoining the group`,
      {
        cause: refusal,
      },
    );
  }
}

/** A consumer group name for short-lived readers (dead-letter listing), never reused. */
export function ephemeralGroupId(prefix: string): string {
  return `${prefix}.reader.${randomUUID()}`;
}
