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
}

/**
 * kafkajs can hang after a network loss: no error, no fetch, no heartbeat. Rather than a
 * silent consumer, exit with one clear line so the supervisor restarts the process.
 */
export class ConsumerWatchdog {
  private lastActivity: number;
  private timer: NodeJS.Timeout | undefined;
  private fired = false;
  private readonly now: () => number;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  start(): void {
    this.touch();
    this.timer = setInterval(
      () => this.check(),
      this.options.checkIntervalMs ?? Math.min(5_000, this.options.stallTimeoutMs / 4),
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Public for unit tests with a fake clock. */
  check(): void {
    const silentMs = this.now() - this.lastActivity;
    if (this.fired || silentMs < this.options.stallTimeoutMs) return;
    this.fired = true;
    this.stop();
    this.options.logger.error(
      `consumer ${this.options.name} has neither fetched nor heartbeated for ${Math.round(silentMs / 1000)} s (limit ${Math.round(
        this.options.stallTimeoutMs / 1000,
      )} s): the Kafka client is stuck; exiting so the supervisor restarts the process`,
      { group: this.options.name, silentMs },
    );
    (this.options.exit ?? ((code: number) => process.exit(code)))(70);
  }
}
