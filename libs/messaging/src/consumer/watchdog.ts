import type { MessagingLogger } from '../logger';

export interface WatchdogOptions {
  /** Named in the log line (the consumer group). */
  name: string;
  /** No fetch and no heartbeat for this long means the client is stuck. */
  stallTimeoutMs: number;
  checkIntervalMs?: number;
  logger: MessagingLogger;
  /** Default `process.exit`; tests pass their own. */
  exit?: (code: number) => void;
  now?: () => number;
  /**
   * Records waiting for this member (its assigned partitions' high watermark minus the group's
   * committed offset), or undefined when that cannot be read (broker unreachable). Asked only
   * after `stallTimeoutMs` without progress: a client that fetches and heartbeats but applies
   * nothing while records wait is stuck too.
   */
  backlog?: () => Promise<number | undefined>;
}

/**
 * kafkajs can hang after a network loss: no error, no fetch, no heartbeat. Or, seen once after
 * the client restarted itself following a crash on fetch timeouts, it fetches and heartbeats but
 * never hands over a batch while records wait. Rather than a silent consumer, exit with one clear
 * line so the supervisor restarts the process.
 */
export class ConsumerWatchdog {
  private lastActivity: number;
  private lastProgress: number;
  private timer: NodeJS.Timeout | undefined;
  private fired = false;
  private backlogCheck: Promise<void> | undefined;
  private nextBacklogCheck = 0;
  private readonly now: () => number;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    this.lastProgress = this.lastActivity;
  }

  /** The client is alive: it fetched or heartbeated. */
  touch(): void {
    this.lastActivity = this.now();
  }

  /** The consumer moved: a batch started or ended, a run committed, a retry is backing off. */
  progress(): void {
    this.lastProgress = this.now();
    this.lastActivity = this.lastProgress;
  }

  start(): void {
    this.progress();
    this.timer = setInterval(
      () => void this.check(),
      this.options.checkIntervalMs ?? Math.min(5_000, this.options.stallTimeoutMs / 4),
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Public for unit tests with a fake clock; resolves when a backlog check it started is done. */
  async check(): Promise<void> {
    if (this.fired) return;
    const silentMs = this.now() - this.lastActivity;
    if (silentMs >= this.options.stallTimeoutMs) {
      this.fire(
        `consumer ${this.options.name} has neither fetched nor heartbeated for ${seconds(silentMs)} s (limit ${seconds(
          this.options.stallTimeoutMs,
        )} s): the Kafka client is stuck`,
        { silentMs },
      );
      return;
    }
    const idleMs = this.now() - this.lastProgress;
    if (!this.options.backlog || idleMs < this.options.stallTimeoutMs || this.backlogCheck) return;
    // An idle consumer that is caught up asks the broker once per stall period, not once per check.
    if (this.now() < this.nextBacklogCheck) return;
    this.nextBacklogCheck = this.now() + this.options.stallTimeoutMs;
    this.backlogCheck = this.checkBacklog(idleMs).finally(() => (this.backlogCheck = undefined));
    await this.backlogCheck;
  }

  private async checkBacklog(idleMs: number): Promise<void> {
    let waiting: number | undefined;
    try {
      waiting = await this.options.backlog?.();
    } catch {
      waiting = undefined;
    }
    // Unknown (the broker cannot be asked) is not a reason: a new process could not reach it either.
    // Progress made while the offsets were read wins too.
    if (waiting === undefined || waiting <= 0 || this.now() - this.lastProgress < this.options.stallTimeoutMs)
      return;
    this.fire(
      `consumer ${this.options.name} has applied nothing for ${seconds(idleMs)} s (limit ${seconds(
        this.options.stallTimeoutMs,
      )} s) while ${waiting} record(s) wait in its partitions: the Kafka client is stuck`,
      { idleMs, waiting },
    );
  }

  /** The client gave up for good (kafkajs does not restart the consumer): exit now, not after the stall period. */
  clientDied(error: string): void {
    this.fire(
      `consumer ${this.options.name} crashed and the Kafka client will not restart it (${error})`,
      {},
    );
  }

  private fire(reason: string, detail: Record<string, unknown>): void {
    if (this.fired) return;
    this.fired = true;
    this.stop();
    this.options.logger.error(`${reason}; exiting so the supervisor restarts the process`, {
      group: this.options.name,
      ...detail,
    });
    (this.options.exit ?? ((code: number) => process.exit(code)))(70);
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
