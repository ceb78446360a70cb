import { assertTestDatabaseName, databaseUrlFor } from './test-database';
import { uniqueName } from './unique-name';
import { eventually } from './eventually';

describe('test database guard', () => {
  it('refuses a database name that does not mark it as a test database', () => {
    expect(() => assertTestDatabaseName('dossier')).toThrow(/does not mark it as a test database/);
    expect(() => assertTestDatabaseName('reporting')).toThrow();
  });

  it('accepts names that contain "test"', () => {
    expect(() => assertTestDatabaseName('test_dossier_abc')).not.toThrow();
  });

  it('points a server URL at another database, keeping credentials', () => {
    expect(databaseUrlFor('postgres://postgres:pw@127.0.0.1:5432/postgres', 'test_x')).toBe(
      'postgres://postgres:pw@127.0.0.1:5432/test_x',
    );
  });
});

describe('uniqueName', () => {
  it('gives names valid as topics and identifiers, different every call', () => {
    const a = uniqueName('Outbox-Relay');
    const b = uniqueName('Outbox-Relay');
    expect(a).toMatch(/^outbox_relay_[a-z0-9]+_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});

describe('eventually', () => {
  it('returns once the probe passes', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('rethrows the last failure after the timeout', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('never');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/gave up after 20 ms: never/);
  });
});
