import { EVENT_HEADERS } from '@backbone/contracts';
import type { DataSource } from 'typeorm';
import {
  ephemeralGroupId,
  type IncomingRecord,
  type KafkaClient,
  type OutgoingMessage,
} from '../kafka/kafka-client';
import { backoffMs, errorMessage, isTransientError, sleep } from '../transient-error';
import { assertOneHandler, type ConsumerHandlers, type DeadLetterReason } from './handlers';
import { EventIdConflictError, InboxProcessor, isInboxRace, parseRecord } from './inbox-processor';

/** `<group>.dlq`: one dead-letter topic per consumer group. */
export function deadLetterTopicFor(groupId: string): string {
  return `${groupId}.dlq`;
}

/** Headers added to a dead-lettered record (the original headers, e.g. ce_type and ce_id, are kept). */
export const DEAD_LETTER_HEADERS = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  reason: 'dlq-error-reason',
  message: 'dlq-error-message',
  attempts: 'dlq-attempts',
  group: 'dlq-consumer-group',
  failedAt: 'dlq-failed-at',
} as const;

export function deadLetterMessage(
  groupId: string,
  record: IncomingRecord,
  reason: DeadLetterReason,
  message: string,
  attempts: number,
): OutgoingMessage {
  return {
    key: record.key,
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [DEAD_LETTER_HEADERS.originalTopic]: record.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(record.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: record.offset,
      [DEAD_LETTER_HEADERS.reason]: reason,
      // Headers travel with every fetch: keep the message bounded.
      [DEAD_LETTER_HEADERS.message]: message.slice(0, 2_000),
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DEAD_LETTER_HEADERS.group]: groupId,
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

export interface DeadLetter {
  /** Position in `<group>.dlq` (created with one partition, so the offset alone names a dead letter). */
  partition: number;
  offset: string;
  eventId?: string;
  eventType?: string;
  reason: string;
  message: string;
  attempts: number;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  failedAt: string;
  key: string | null;
  value: Buffer | null;
}

function toDeadLetter(record: IncomingRecord): DeadLetter {
  const h = record.headers;
  return {
    partition: record.partition,
    offset: record.offset,
    eventId: h[EVENT_HEADERS.id],
    eventType: h[EVENT_HEADERS.type],
    reason: h[DEAD_LETTER_HEADERS.reason] ?? 'unknown',
    message: h[DEAD_LETTER_HEADERS.message] ?? '',
    attempts: Number(h[DEAD_LETTER_HEADERS.attempts] ?? 0),
    originalTopic: h[DEAD_LETTER_HEADERS.originalTopic] ?? '',
    originalPartition: Number(h[DEAD_LETTER_HEADERS.originalPartition] ?? -1),
    originalOffset: h[DEAD_LETTER_HEADERS.originalOffset] ?? '',
    failedAt: h[DEAD_LETTER_HEADERS.failedAt] ?? '',
    key: record.key,
    value: record.value,
  };
}

export interface ReadDeadLettersOptions {
  client: KafkaClient;
  groupId: string;
  timeoutMs?: number;
}

/** Every dead letter currently in `<group>.dlq`, oldest first. */
export async function readDeadLetters(options: ReadDeadLettersOptions): Promise<DeadLetter[]> {
  const topic = deadLetterTopicFor(options.groupId);
  const ends = await options.client.withAdmin(async (admin) => {
    await admin.ensureTopics([{ topic }]);
    return admin.topicOffsets(topic);
  });
  const remaining = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
  );
  if (remaining.size === 0) return [];

  const readerGroup = ephemeralGroupId(options.groupId);
  const consumer = options.client.consumer({ groupId: readerGroup, topics: [topic], fromBeginning: true });
  const records: IncomingRecord[] = [];
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.run(async (batch) => {
      for (const record of batch.records) {
        const end = remaining.get(record.partition);
        if (end === undefined || BigInt(record.offset) >= end) continue;
        records.push(record);
        if (BigInt(record.offset) + 1n >= end) remaining.delete(record.partition);
      }
      const last = batch.records.at(-1);
      if (last) batch.resolveThrough(last.offset);
      if (remaining.size === 0) finish();
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${timeoutMs} ms reading ${topic}`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    await options.client.withAdmin((admin) => admin.deleteGroups([readerGroup])).catch(() => undefined);
  }
  return records
    .map(toDeadLetter)
    .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

export interface ReplayDeadLettersOptions extends ReadDeadLettersOptions {
  dataSource: DataSource;
  handlers: ConsumerHandlers;
  /** Dead-letter offsets in `<group>.dlq` to replay (`"7"` or `"0:7"` for partition 0). */
  offsets?: string[];
  /** Or the event ids to replay. */
  eventIds?: string[];
}

/** What a service's replay module (`--target` of the CLI) provides: its DataSource and the group's handlers. */
export interface DeadLetterReplayTarget {
  dataSource: DataSource;
  handlers: ConsumerHandlers;
  close?(): Promise<void>;
}

export interface ReplayResult {
  offset: string;
  eventId?: string;
  outcome: 'applied' | 'duplicate' | 'failed';
  error?: string;
}

/**
 * Feeds chosen dead letters into the group's handler through the same inbox path as the
 * consumer (one transaction each, recorded with the group's id), so replaying twice, or
 * replaying an event the group applied meanwhile, applies it once. The dead letters stay in
 * the topic (it is a log); the inbox says which ones were applied.
 */
export async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<ReplayResult[]> {
  assertOneHandler(options.handlers, options.groupId);
  const wantedOffsets = new Set((options.offsets ?? []).map((o) => (o.includes(':') ? o : `0:${o}`)));
  const wantedIds = new Set(options.eventIds ?? []);
  if (wantedOffsets.size === 0 && wantedIds.size === 0)
    throw new Error('replay needs offsets or event ids to choose dead letters');

  const chosen = (await readDeadLetters(options)).filter(
    (letter) =>
      wantedOffsets.has(`${letter.partition}:${letter.offset}`) ||
      (letter.eventId !== undefined && wantedIds.has(letter.eventId)),
  );
  const processor = new InboxProcessor(options.dataSource, options.groupId, options.handlers);
  const results: ReplayResult[] = [];
  for (const letter of chosen) {
    const parsed = parseRecord({
      topic: letter.originalTopic,
      partition: letter.originalPartition,
      offset: letter.originalOffset,
      key: letter.key,
      value: letter.value,
      headers: {},
      timestamp: letter.failedAt,
    });
    if (parsed.failure) {
      results.push({
        offset: letter.offset,
        eventId: letter.eventId,
        outcome: 'failed',
        error: `${parsed.failure.reason}: ${parsed.failure.message}`,
      });
      continue;
    }
    results.push({
      offset: letter.offset,
      eventId: parsed.event!.id,
      ...(await applyWithTransientRetries(processor, parsed)),
    });
  }
  return results;
}

async function applyWithTransientRetries(
  processor: InboxProcessor,
  parsed: ReturnType<typeof parseRecord>,
): Promise<Pick<ReplayResult, 'outcome' | 'error'>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await processor.apply([parsed]);
      return { outcome: result.applied === 1 ? 'applied' : 'duplicate' };
    } catch (error) {
      const retry = (isTransientError(error) || isInboxRace(error)) && attempt < 5;
      if (!retry || error instanceof EventIdConflictError)
        return { outcome: 'failed', error: errorMessage(error) };
      await sleep(backoffMs(attempt, 200, 2_000));
    }
  }
}
