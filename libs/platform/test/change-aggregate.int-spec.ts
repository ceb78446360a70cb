import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { HttpException } from '@nestjs/common';
import { Client } from 'pg';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import {
  AuditRecord,
  AuditTrail,
  type AuthenticatedUser,
  changeAggregate,
  insertStatement,
  PLATFORM_MIGRATIONS,
  runWithRequestContext,
} from '../src';

/** How many statements the process sends to PostgreSQL while `work` runs (every pg client counted). */
async function statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let statements = 0;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
    statements += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await work(), statements };
  } finally {
    prototype.query = original;
  }
}

@Entity('counters')
class Counter {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') status!: string;
  @Column('int') value!: number;
}

@Entity('counter_history')
class CounterHistory {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'counter_id' }) counterId!: string;
  @Column('int') value!: number;
}

/**
 * The platform's aggregate change (changeAggregate on readForChange / writeChange), the write
 * path of every service's state changes, on a real PostgreSQL: the row, its history and its audit
 * record commit together; concurrent changes of one row never apply to the same version; a refusal
 * writes nothing.
 */
describe('changeAggregate (real PostgreSQL)', () => {
  let database: TestDatabase;
  let source: DataSource;
  let audit: AuditTrail;

  beforeAll(async () => {
    database = await createTestDatabase('change_aggregate');
    source = new DataSource({
      type: 'postgres',
      url: database.url,
      entities: [AuditRecord, Counter, CounterHistory],
      migrations: PLATFORM_MIGRATIONS,
      extra: { max: 8 },
    });
    await source.initialize();
    await source.runMigrations();
    await source.query(
      `CREATE TABLE counters (id uuid PRIMARY KEY, status text NOT NULL, value int NOT NULL)`,
    );
    await source.query(
      `CREATE TABLE counter_history (id uuid PRIMARY KEY, counter_id uuid NOT NULL REFERENCES counters (id), value int NOT NULL)`,
    );
    audit = new AuditTrail(source);
  });

  afterAll(async () => {
    await source?.destroy();
    await database?.drop();
  });

  async function newCounter(): Promise<string> {
    const id = randomUUID();
    await source.query(`INSERT INTO counters (id, status, value) VALUES ($1, 'open', 0)`, [id]);
    return id;
  }

  function increment(id: string) {
    return changeAggregate(source, Counter, id, {
      auditTrail: audit,
      decide: (counter) => {
        if (counter.status !== 'open') throw new HttpException('closed', 409);
        counter.value += 1;
        const history = insertStatement(source.manager, CounterHistory, [
          { id: randomUUID(), counterId: counter.id, value: counter.value },
        ]);
        return {
          alongside: history ? [history] : [],
          audit: {
            action: 'counter.increment',
            targetType: 'counter',
            targetId: counter.id,
            actor: { subject: 'officer-1', roles: ['officer'], unitCodes: ['00070'] },
          },
          answer: { value: counter.value },
        };
      },
    });
  }

  it('writes the row, its history and its audit record in two statements', async () => {
    const id = await newCounter();
    const { result, statements } = await statementsDuring(() => increment(id));
    expect(result).toEqual({ value: 1 });
    expect(statements).toBe(2);
    const [row] = await source.query(`SELECT value FROM counters WHERE id = $1`, [id]);
    expect(row.value).toBe(1);
    const history = await source.query(`SELECT value FROM counter_history WHERE counter_id = $1`, [id]);
    expect(history).toEqual([{ value: 1 }]);
    const audited = await source.query(`SELECT action FROM platform_audit_log WHERE target_id = $1`, [id]);
    expect(audited).toEqual([{ action: 'counter.increment' }]);
  });

  it('applies concurrent changes of one row one version at a time (none lost, none doubled)', async () => {
    const id = await newCounter();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => increment(id)));
    const succeeded = results.filter((result) => result.status === 'fulfilled').length;
    const conflicts = results.filter(
      (result) => result.status === 'rejected' && (result.reason as HttpException).getStatus?.() === 409,
    ).length;
    expect(succeeded + conflicts).toBe(6);
    const [row] = await source.query(`SELECT value FROM counters WHERE id = $1`, [id]);
    // Each success is exactly one increment: the history holds 1..n once each, like the audit log.
    expect(row.value).toBe(succeeded);
    const history = await source.query(
      `SELECT value FROM counter_history WHERE counter_id = $1 ORDER BY value`,
      [id],
    );
    expect(history.map((entry: { value: number }) => entry.value)).toEqual(
      Array.from({ length: succeeded }, (_, i) => i + 1),
    );
    const [{ count }] = await source.query(
      `SELECT count(*)::int AS count FROM platform_audit_log WHERE target_id = $1`,
      [id],
    );
    expect(count).toBe(succeeded);
  });

  it('writes nothing when the rule refuses, and answers undefined for a missing row', async () => {
    const id = await newCounter();
    await source.query(`UPDATE counters SET status = 'closed' WHERE id = $1`, [id]);
    await expect(increment(id)).rejects.toThrow('closed');
    const history = await source.query(`SELECT 1 FROM counter_history WHERE counter_id = $1`, [id]);
    expect(history).toEqual([]);
    const audited = await source.query(`SELECT 1 FROM platform_audit_log WHERE target_id = $1`, [id]);
    expect(audited).toEqual([]);
    expect(await increment(randomUUID())).toBeUndefined();
  });

  /** What the rows of a counter hold after a change that should have written nothing. */
  async function leftAlone(id: string): Promise<void> {
    const [row] = await source.query(`SELECT value FROM counters WHERE id = $1`, [id]);
    expect(row.value).toBe(0);
    const history = await source.query(`SELECT 1 FROM counter_history WHERE counter_id = $1`, [id]);
    expect(history).toEqual([]);
    const audited = await source.query(`SELECT 1 FROM platform_audit_log WHERE target_id = $1`, [id]);
    expect(audited).toEqual([]);
  }

  it('writes nothing and answers undefined when the caller may not change the row (never deciding)', async () => {
    const id = await newCounter();
    const decide = jest.fn();
    const { result, statements } = await statementsDuring(() =>
      changeAggregate(source, Counter, id, {
        auditTrail: audit,
        mayChange: (counter) => counter.status === 'elsewhere',
        decide,
      }),
    );
    expect(result).toBeUndefined();
    expect(decide).not.toHaveBeenCalled();
    expect(statements).toBe(1);
    await leftAlone(id);
  });

  it('writes nothing and answers undefined when the rule finds nothing to do', async () => {
    const id = await newCounter();
    const { result, statements } = await statementsDuring(() =>
      changeAggregate(source, Counter, id, {
        auditTrail: audit,
        mayChange: () => true,
        decide: (counter) => {
          counter.value += 1; // even a mutated entity is not written when the rule answers null
          return null;
        },
      }),
    );
    expect(result).toBeUndefined();
    expect(statements).toBe(1);
    await leftAlone(id);
  });

  it('records the actor the change names (a job acting) rather than the caller of the request', async () => {
    const id = await newCounter();
    const caller: AuthenticatedUser = { subject: 'agent-9', roles: ['hotline-agent'], unitCodes: ['00103'] };
    await runWithRequestContext(
      { requestId: randomUUID(), correlationId: randomUUID(), method: 'POST', user: caller, audited: false },
      () => increment(id),
    );
    const audited = await source.query(
      `SELECT actor_subject, actor_roles, actor_units FROM platform_audit_log WHERE target_id = $1`,
      [id],
    );
    expect(audited).toEqual([{ actor_subject: 'officer-1', actor_roles: 'officer', actor_units: '00070' }]);
  });
});
