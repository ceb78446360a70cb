import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * What an orchestrator does for a crashed service: restart it after a backoff that grows with the
 * crashes of the last `windowMs`, and give up once `maxCrashes` fall within that window (a crash
 * loop: restarting again would only hide it). Pure: the clock is passed in.
 */
export interface RestartPolicyOptions {
  /** Crashes within `windowMs` that make a crash loop (default 5). */
  maxCrashes?: number;
  windowMs?: number;
  /** Wait before the first restart; doubled per crash in the window, capped (default 500 ms … 8 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export type CrashDecision =
  | { action: 'restart'; delayMs: number; crashesInWindow: number }
  | { action: 'give-up'; crashesInWindow: number; windowMs: number };

export class RestartPolicy {
  private readonly crashes: number[] = [];
  readonly maxCrashes: number;
  readonly windowMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(options: RestartPolicyOptions = {}) {
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 8_000;
    if (this.maxCrashes < 1) throw new Error('maxCrashes must be at least 1');
  }

  /** Records a crash at `now` (ms) and says what to do about it. */
  onCrash(now: number): CrashDecision {
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0]! <= now - this.windowMs) this.crashes.shift();
    const crashesInWindow = this.crashes.length;
    if (crashesInWindow >= this.maxCrashes)
      return { action: 'give-up', crashesInWindow, windowMs: this.windowMs };
    const delayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (crashesInWindow - 1));
    return { action: 'restart', delayMs, crashesInWindow };
  }
}

/** How a process ended, as a console reads it: `exit code 1` or `signal SIGKILL`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

export interface SupervisorEvents {
  /** A new process of the service is running (the first one too); `restarts` counts the restarts so far. */
  started?(pid: number | undefined, restarts: number): void;
  crashed?(exit: string, decision: Extract<CrashDecision, { action: 'restart' }>, restarts: number): void;
  gaveUp?(exit: string, decision: Extract<CrashDecision, { action: 'give-up' }>): void;
}

/**
 * Keeps one service process running: `spawn` starts it, an exit that `stop` did not ask for is a
 * crash (whatever the exit code: a service is meant to run until told to stop), handled by the
 * policy. `stop` ends the current process (SIGTERM, SIGKILL after `killAfterMs`) and cancels a
 * pending restart. Used by `npm start` (tools/stack/start.ts) and the fault suite (tools/faults).
 */
export class ServiceSupervisor {
  private current: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartCount = 0;
  private finished: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly name: string,
    private readonly spawn: () => ChildProcess,
    private readonly policy: RestartPolicy = new RestartPolicy(),
    private readonly events: SupervisorEvents = {},
    private readonly now: () => number = Date.now,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  /** The running process, if any (between a crash and its restart there is none). */
  get process(): ChildProcess | undefined {
    return this.current && this.current.exitCode === null && this.current.signalCode === null
      ? this.current
      : undefined;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Resolves once the supervisor stopped for good: `stop` was called, or it gave up. */
  get done(): Promise<void> {
    return this.finished;
  }

  start(): void {
    if (this.stopping) return;
    const child = this.spawn();
    this.current = child;
    this.events.started?.(child.pid, this.restartCount);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const exit = describeExit(code, signal);
      const decision = this.policy.onCrash(this.now());
      if (decision.action === 'give-up') {
        this.stopping = true;
        this.events.gaveUp?.(exit, decision);
        this.finish();
        return;
      }
      this.events.crashed?.(exit, decision, this.restartCount + 1);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.restartCount += 1;
        this.start();
      }, decision.delayMs);
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 15_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.process;
    if (child) {
      const exited = once(child, 'exit');
      child.kill(signal);
      // A frozen (SIGSTOPped) process would hold the signal until it is resumed.
      child.kill('SIGCONT');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(timer);
    }
    this.finish();
  }
}
