// Nest-free on purpose (see messaging-options.ts): services and the ops endpoints import it eagerly.
import type { ReplayResult } from '../consumer/dead-letters';

/** Which dead letters of a group to replay: offsets in `<group>.dlq` (`7` or `0:7`), or event ids. */
export interface DeadLetterSelection {
  offsets?: string[];
  eventIds?: string[];
}

/** A consumer group this process runs, as the ops endpoints see it. */
export interface RunningConsumerGroup {
  readonly groupId: string;
  /**
   * Replays chosen dead letters with the handlers the live consumer of the group runs (the service's
   * own `@EventPattern`/`@InboxBatch` methods), through the same inbox: applied once.
   */
  replayDeadLetters(selection: DeadLetterSelection): Promise<ReplayResult[]>;
}

/**
 * The consumer groups running in this process: each inbox transport registers itself once it
 * listens (its handlers are known then) and leaves when it closes. The dead-letter ops endpoints
 * replay only through a registered group, so a replay always runs the service's own consumer logic.
 */
export class ConsumerGroupRegistry {
  private readonly running = new Map<string, RunningConsumerGroup>();

  register(group: RunningConsumerGroup): void {
    this.running.set(group.groupId, group);
  }

  unregister(group: RunningConsumerGroup): void {
    if (this.running.get(group.groupId) === group) this.running.delete(group.groupId);
  }

  get(groupId: string): RunningConsumerGroup | undefined {
    return this.running.get(groupId);
  }
}
