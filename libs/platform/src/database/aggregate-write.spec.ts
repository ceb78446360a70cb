import { guardedInsert } from './aggregate-write';

describe('guardedInsert', () => {
  it('turns a single-row INSERT … VALUES into an INSERT … SELECT guarded by the update', () => {
    const guarded = guardedInsert({
      sql: 'INSERT INTO outbox (event_id, lane, payload) VALUES ($1::uuid, $2::smallint, replace($3, $4, $5))',
      params: ['id', 1, 'p', 'x', 'y'],
    });
    expect(guarded.sql).toBe(
      'INSERT INTO outbox (event_id, lane, payload) SELECT $1::uuid, $2::smallint, replace($3, $4, $5) FROM aggregate_changed',
    );
    expect(guarded.params).toEqual(['id', 1, 'p', 'x', 'y']);
  });

  it('refuses several rows in one INSERT (one statement per row) and literals', () => {
    expect(() => guardedInsert({ sql: 'INSERT INTO t (a) VALUES ($1), ($2)', params: [1, 2] })).toThrow(
      /one row per INSERT/,
    );
    expect(() => guardedInsert({ sql: "INSERT INTO t (a) VALUES ('x')", params: [] })).toThrow(/literals/);
    expect(() => guardedInsert({ sql: 'UPDATE t SET a = $1', params: [1] })).toThrow(/single-row INSERT/);
  });
});
