import { ConsumerWatchdog } from './watchdog';

describe('ConsumerWatchdog', () => {
  function setUp() {
    let now = 0;
    const exits: number[] = [];
    const errors: string[] = [];
    const watchdog = new ConsumerWatchdog({
      name: 'reporting',
      stallTimeoutMs: 60_000,
      now: () => now,
      exit: (code) => exits.push(code),
      logger: { info: () => undefined, warn: () => undefined, error: (message) => errors.push(message) },
    });
    return { watchdog, exits, errors, advance: (ms: number) => (now += ms) };
  }

  it('stays quiet while the consumer fetches or heartbeats', () => {
    const { watchdog, exits, advance } = setUp();
    for (let i = 0; i < 10; i += 1) {
      advance(50_000);
      watchdog.touch();
      watchdog.check();
    }
    expect(exits).toEqual([]);
  });

  it('exits once, with one clear line, after the configured silence', () => {
    const { watchdog, exits, errors, advance } = setUp();
    advance(59_999);
    watchdog.check();
    expect(exits).toEqual([]);
    advance(1);
    watchdog.check();
    watchdog.check();
    expect(exits).toEqual([70]);
    expect(errors).toEqual([
      'consumer reporting has neither fetched nor heartbeated for 60 s (limit 60 s): the Kafka client is stuck; exiting so the supervisor restarts the process',
    ]);
  });
});
