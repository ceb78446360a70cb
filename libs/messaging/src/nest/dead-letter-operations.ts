import { AuditTrail } from '@backbone/platform';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  type DeadLetter,
  deadLetterTopicFor,
  readDeadLetters,
  type ReplayResult,
} from '../consumer/dead-letters';
import type { KafkaClient } from '../kafka/kafka-client';
import { ConsumerGroupRegistry } from './consumer-group-registry';
import { KAFKA_CLIENT, MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging-options';

const COUNT_TIMEOUT_MS = 3_000;
const READ_TIMEOUT_MS = 15_000;
/** The newest dead letters a listing shows. */
const LISTED_DEAD_LETTERS = 200;

/** One consumer group of a service and the dead letters waiting in its `<group>.dlq`. */
export interface ConsumerGroupDeadLetters {
  group: string;
  topic: string;
  /** Records in the dead-letter topic (null: the broker did not answer in time). */
  count: number | null;
  /** The group's consumer runs in this process, so its dead letters can be replayed here. */
  replayable: boolean;
}

export interface ServiceConsumerGroups {
  service: string;
  groups: ConsumerGroupDeadLetters[];
}

export interface DeadLetterListing extends ConsumerGroupDeadLetters {
  /** Newest first, without key and payload (the payload may be what made the consumer fail). */
  deadLetters: Omit<DeadLetter, 'key' | 'value'>[];
}

export interface DeadLetterReplay {
  group: string;
  results: ReplayResult[];
  /** Offsets asked for that are not in the dead-letter topic. */
  missing: string[];
}

/**
 * A service's own dead letters, for operations staff: the consumer groups it declares in
 * MessagingModule, what waits in each `<group>.dlq`, and replays that run the group's own handlers
 * (the running inbox transport's) and are audited one record per letter. Each service reads only its
 * own dead-letter topics: that is all its Kafka principal may read (infra/kafka/principals.json).
 */
@Injectable()
export class DeadLetterOperations {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly kafka: KafkaClient,
    private readonly registry: ConsumerGroupRegistry,
    private readonly auditTrail: AuditTrail,
  ) {}

  get serviceName(): string {
    return this.options.serviceName;
  }

  /** The consumer groups this service declares (MessagingModule's `consumers`). */
  declaredGroups(): string[] {
    return (this.options.consumers ?? []).map((consumer) => consumer.groupId ?? this.options.serviceName);
  }

  serves(group: string): boolean {
    return this.declaredGroups().includes(group);
  }

  async groups(): Promise<ServiceConsumerGroups> {
    return {
      service: this.options.serviceName,
      groups: await Promise.all(
        this.declaredGroups().map(async (group) => ({
          group,
          topic: deadLetterTopicFor(group),
          count: await this.count(group),
          replayable: this.registry.get(group) !== undefined,
        })),
      ),
    };
  }

  async list(group: string): Promise<DeadLetterListing> {
    this.assertServes(group);
    const letters = await readDeadLetters({ client: this.kafka, groupId: group, timeoutMs: READ_TIMEOUT_MS });
    return {
      group,
      topic: deadLetterTopicFor(group),
      count: letters.length,
      replayable: this.registry.get(group) !== undefined,
      deadLetters: letters
        .slice(-LISTED_DEAD_LETTERS)
        .reverse()
        .map(({ key: _key, value: _value, ...letter }) => letter),
    };
  }

  async replay(group: string, offsets: string[]): Promise<DeadLetterReplay> {
    this.assertServes(group);
    const running = this.registry.get(group);
    if (!running)
      throw new ConflictException(
        `The consumer of ${group} is not running in this process; replay when it runs`,
      );
    const results = await running.replayDeadLetters({ offsets });
    for (const result of results) {
      await this.auditTrail.recordStandalone({
        action: 'dead-letters.replay',
        targetType: 'dead-letter',
        targetId: `${deadLetterTopicFor(group)}:${result.offset}`,
        outcome: result.outcome === 'failed' ? 'failed' : 'succeeded',
      });
    }
    const found = new Set(results.map((result) => result.offset));
    const missing = offsets.map((o) => o.split(':').at(-1)!).filter((offset) => !found.has(offset));
    return { group, results, missing };
  }

  private assertServes(group: string): void {
    if (!this.serves(group))
      throw new NotFoundException(`${this.options.serviceName} has no consumer group ${group}`);
  }

  private async count(group: string): Promise<number | null> {
    const topic = deadLetterTopicFor(group);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer')), COUNT_TIMEOUT_MS);
    });
    const counted = this.kafka.withAdmin(async (admin) =>
      (await admin.topicOffsets(topic)).reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0),
    );
    return Promise.race([counted, timeout])
      .catch(() => null)
      .finally(() => clearTimeout(timer));
  }
}
