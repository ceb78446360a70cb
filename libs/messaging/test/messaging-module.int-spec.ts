import { createTestTopics, eventually, uniqueName } from '@backbone/testing';
import { runChild } from './children/run-child';
import { appliedCounts, setUpTestDb, testClient, type TestDb } from './support';
import { TEST_TOPIC } from './test-events';

// The service runs in a child process: @nestjs/* is ESM-only and jest here cannot load it.
describe('MessagingModule in a Nest application', () => {
  let db: TestDb;
  const client = testClient();

  beforeAll(async () => {
    await createTestTopics([{ topic: TEST_TOPIC, numPartitions: 2 }]);
    db = await setUpTestDb('nest');
  });

  afterAll(async () => {
    await db.close();
  });

  async function committed(groupId: string): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.committedOffsets(groupId, TEST_TOPIC));
    return offsets.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  async function end(): Promise<number> {
    const offsets = await client.withAdmin((admin) => admin.topicOffsets(TEST_TOPIC));
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  it('starts relay and consumer on bootstrap; SIGTERM commits and disconnects; a restart applies nothing twice', async () => {
    const groupId = uniqueName('test_nest_service');
    const env = { DATABASE_URL: db.database.url, MESSAGING_TEST_TOPIC: TEST_TOPIC, GROUP_ID: groupId };

    const first = runChild('nest-service.ts', { ...env, EVENTS_TO_PLACE: '12' });
    await eventually(() => expect(first.output().match(/^applied /gm)?.length ?? 0).toBe(12), {
      timeoutMs: 60_000,
    });
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    // Nest re-raises the signal after its shutdown hooks ran.
    expect({ signal: exit.signal, code: exit.code, output: first.output() }).toEqual({
      signal: 'SIGTERM',
      code: null,
      output: expect.any(String),
    });
    expect(first.output()).not.toContain('failed');
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 12, distinct: 12 });
    expect(await committed(groupId)).toBe(await end());

    const second = runChild('nest-service.ts', { ...env, EVENTS_TO_PLACE: '1' });
    await eventually(() => expect(second.output().match(/^applied /gm)?.length ?? 0).toBe(1), {
      timeoutMs: 60_000,
    });
    second.child.kill('SIGTERM');
    await second.exited;
    expect(await appliedCounts(db.dataSource)).toEqual({ rows: 13, distinct: 13 });
    const [outbox] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    expect(outbox.n).toBe(0);
  });
});
