import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { type CrashDecision, describeExit, RestartPolicy, ServiceSupervisor } from './supervisor';

describe('RestartPolicy', () => {
  it('restarts with a backoff that doubles per crash in the window, capped', () => {
    const policy = new RestartPolicy({ maxCrashes: 10, initialBackoffMs: 500, maxBackoffMs: 3_000 });
    const delays = [0, 1, 2, 3, 4].map((i) => policy.onCrash(i * 1_000));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : d.action))).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
  });

  it('gives up on the fifth crash within a minute, not on five spread over longer', () => {
    const loop = new RestartPolicy();
    const decisions = [0, 10, 20, 30, 40].map((s) => loop.onCrash(s * 1_000));
    expect(decisions.slice(0, 4).every((d) => d.action === 'restart')).toBe(true);
    expect(decisions[4]).toEqual({ action: 'give-up', crashesInWindow: 5, windowMs: 60_000 });

    const spread = new RestartPolicy();
    const spaced = [0, 20, 40, 60, 80, 100, 120].map((s) => spread.onCrash(s * 1_000));
    expect(spaced.every((d) => d.action === 'restart')).toBe(true);
    // Old crashes leave the window: the backoff comes down again.
    expect((spaced[6] as Extract<CrashDecision, { action: 'restart' }>).crashesInWindow).toBe(3);
  });
});

describe('describeExit', () => {
  it('names the signal, else the exit code', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('signal SIGKILL');
    expect(describeExit(1, null)).toBe('exit code 1');
  });
});

/** A stand-in child process: emits `exit` when killed or when the test says it crashed. */
class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly signals: string[] = [];
  constructor(readonly pid: number) {
    super();
  }
  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (signal === 'SIGCONT') return true;
    this.crash(null, signal);
    return true;
  }
  crash(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
  }
}

describe('ServiceSupervisor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts a crashed process after the backoff, counts the restarts, and stop() ends it for good', async () => {
    const children: FakeChild[] = [];
    const lines: string[] = [];
    let clock = 0;
    const supervisor = new ServiceSupervisor(
      'dossier',
      () => {
        const child = new FakeChild(100 + children.length);
        children.push(child);
        return child as unknown as ChildProcess;
      },
      new RestartPolicy({ initialBackoffMs: 500 }),
      {
        started: (pid, restarts) => lines.push(`started ${pid} ${restarts}`),
        crashed: (exit, decision, restart) =>
          lines.push(`crashed ${exit} restart ${restart} in ${decision.delayMs}`),
      },
      () => clock,
    );
    supervisor.start();
    children[0]!.crash(null, 'SIGKILL');
    expect(supervisor.process).toBeUndefined();
    jest.advanceTimersByTime(499);
    expect(children).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(children).toHaveLength(2);
    clock = 5_000;
    children[1]!.crash(3, null);
    jest.advanceTimersByTime(1_000);
    expect(supervisor.restarts).toBe(2);
    expect(lines).toEqual([
      'started 100 0',
      'crashed signal SIGKILL restart 1 in 500',
      'started 101 1',
      'crashed exit code 3 restart 2 in 1000',
      'started 102 2',
    ]);

    await supervisor.stop();
    expect(children[2]!.signals).toEqual(['SIGTERM', 'SIGCONT']);
    jest.advanceTimersByTime(60_000);
    expect(children).toHaveLength(3);
    await expect(supervisor.done).resolves.toBeUndefined();
  });

  it('gives up on a crash loop and says so once', async () => {
    let spawned = 0;
    const gaveUp: string[] = [];
    let clock = 0;
    let latest: FakeChild | undefined;
    const supervisor = new ServiceSupervisor(
      'reporting',
      () => {
        spawned += 1;
        latest = new FakeChild(spawned);
        return latest as unknown as ChildProcess;
      },
      new RestartPolicy({ maxCrashes: 3, windowMs: 60_000, initialBackoffMs: 10 }),
      { gaveUp: (exit, decision) => gaveUp.push(`${exit} ${decision.crashesInWindow}`) },
      () => clock,
    );
    supervisor.start();
    for (let i = 0; i < 3; i += 1) {
      clock += 1_000;
      latest!.crash(1, null);
      jest.advanceTimersByTime(1_000);
    }
    expect(spawned).toBe(3);
    expect(gaveUp).toEqual(['exit code 1 3']);
    await expect(supervisor.done).resolves.toBeUndefined();
  });
});
