import { ConsumerWatchdog, type WatchdogOptions } from './watchdog';

describe('ConsumerWatchdog', () => {
  function setUp(backlog?: WatchdogOptions['backlog']) {
    let now = 0;
    const exits: number[] = [];
    const errors: string[] = [];
    const watchdog = new ConsumerWatchdog({
      name: 'reporting',
      stallTimeoutMs: 60_000,
      now: () => now,
      exit: (code) => exits.push(code),
      logger: { info: () => undefined, warn: () => undefined, error: (message) => errors.push(message) },
      backlog,
    });
    return { watchdog, exits, errors, advance: (ms: number) => (now += ms) };
  }

  it('stays quiet while the consumer fetches or heartbeats', async () => {
    const { watchdog, exits, advance } = setUp();
    for (let i = 0; i < 10; i += 1) {
      advance(50_000);
      watchdog.touch();
      await watchdog.check();
    }
    expect(exits).toEqual([]);
  });

  it('exits once, with one clear line, after the configured silence', async () => {
    const { watchdog, exits, errors, advance } = setUp();
    advance(59_999);
    await watchdog.check();
    expect(exits).toEqual([]);
    advance(1);
    await watchdog.check();
    await watchdog.check();
    expect(exits).toEqual([70]);
    expect(errors).toEqual([
      'consumer reporting has neither fetched nor heartbeated for 60 s (limit 60 s): the Kafka client is stuck; exiting so the supervisor restarts the process',
    ]);
  });

  it('exits at once when the client will not restart a crashed consumer', async () => {
    const { watchdog, exits, errors } = setUp();
    watchdog.clientDied('KafkaJSNonRetriableError: Failed to find group coordinator');
    await watchdog.check();
    expect(exits).toEqual([70]);
    expect(errors).toEqual([
      'consumer reporting crashed and the Kafka client will not restart it (KafkaJSNonRetriableError: Failed to find group coordinator); exiting so the supervisor restarts the process',
    ]);
  });

  describe('a client that fetches and heartbeats but hands over no batch', () => {
    it('exits when records wait in its partitions', async () => {
      const { watchdog, exits, errors, advance } = setUp(async () => 645);
      for (let i = 0; i < 12; i += 1) {
        advance(5_000);
        watchdog.touch();
        await watchdog.check();
      }
      expect(exits).toEqual([70]);
      expect(errors).toEqual([
        'consumer reporting has applied nothing for 60 s (limit 60 s) while 645 record(s) wait in its partitions: the Kafka client is stuck; exiting so the supervisor restarts the process',
      ]);
    });

    it('stays when it is caught up, and asks the broker once per stall period', async () => {
      let asked = 0;
      const { watchdog, exits, advance } = setUp(async () => {
        asked += 1;
        return 0;
      });
      for (let i = 0; i < 60; i += 1) {
        advance(5_000);
        watchdog.touch();
        await watchdog.check();
      }
      // 300 s: silent from 60 s on, asked at 60, 120, 180, 240 and 300 s.
      expect(asked).toBe(5);
      expect(exits).toEqual([]);
    });

    it('stays when the broker cannot be asked: a new process could not reach it either', async () => {
      const unknown = setUp(async () => undefined);
      const failing = setUp(async () => {
        throw new Error('Connection timeout');
      });
      for (const { watchdog, advance } of [unknown, failing]) {
        advance(59_000);
        watchdog.touch();
        advance(1_000);
        await watchdog.check();
      }
      expect(unknown.exits).toEqual([]);
      expect(failing.exits).toEqual([]);
    });

    it('stays when a batch arrives while the offsets are read', async () => {
      let release: (waiting: number) => void = () => undefined;
      const { watchdog, exits, advance } = setUp(() => new Promise((resolve) => (release = resolve)));
      advance(59_000);
      watchdog.touch();
      advance(1_000);
      const check = watchdog.check();
      watchdog.progress();
      release(10);
      await check;
      expect(exits).toEqual([]);
    });

    it('counts a batch, a commit or a retry backing off as progress', async () => {
      const { watchdog, exits, advance } = setUp(async () => 10);
      for (let i = 0; i < 10; i += 1) {
        advance(50_000);
        watchdog.progress();
        await watchdog.check();
      }
      expect(exits).toEqual([]);
    });
  });
});
