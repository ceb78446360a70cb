import type { SqlStatement } from '@backbone/platform';
import { type BatchRow, type DossierWrite, IntakeBatcher, sharedStatement } from './intake-batcher';

/** A dossier write whose statements name its counter key, so the shared text shows the order. */
function write(counterKey: string): DossierWrite {
  return {
    counterKey,
    statements: (n) => [
      { name: `dossier_sequence_${n}`, sql: `UPSERT ${counterKey} RETURNING x`, params: [counterKey] },
      { name: `dossier_code_${n}`, sql: `SELECT x FROM dossier_sequence_${n}`, params: [] },
    ],
  };
}

/** Runs statements against a fake database: codes are "<key>-<n>", failing when a key is poisoned. */
function fakeDatabase(poisoned = new Set<string>()) {
  const statements: SqlStatement[] = [];
  const execute = async (statement: SqlStatement): Promise<BatchRow[]> => {
    statements.push(statement);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const keys = statement.params.filter((p): p is string => typeof p === 'string');
    if (keys.some((key) => poisoned.has(key))) throw new Error(`poisoned: ${keys.join(',')}`);
    return keys.map((key, n) => ({ n, code: `${key}-code` }));
  };
  return { statements, execute };
}

describe('IntakeBatcher (group commit of dossier writes)', () => {
  it('shares one statement among writes of the same moment, one per counter row, in key order', async () => {
    const db = fakeDatabase();
    const batcher = new IntakeBatcher(db.execute);
    const codes = await Promise.all(['b|d', 'a|d', 'c|d'].map((key) => batcher.write(write(key))));
    expect(codes).toEqual(['b|d-code', 'a|d-code', 'c|d-code']);
    expect(db.statements).toHaveLength(1);
    expect(db.statements[0]!.params).toEqual(['a|d', 'b|d', 'c|d']);
    expect(db.statements[0]!.sql).toMatch(
      /SELECT 0 AS n, code FROM dossier_code_0 UNION ALL SELECT 1 AS n, code FROM dossier_code_1/,
    );
  });

  it('never puts two writes of one counter row into one statement', async () => {
    const db = fakeDatabase();
    const batcher = new IntakeBatcher(db.execute);
    await Promise.all(['a|d', 'a|d', 'a|d'].map((key) => batcher.write(write(key))));
    expect(db.statements).toHaveLength(3);
    for (const statement of db.statements) expect(statement.params).toEqual(['a|d']);
  });

  it('writes each dossier of a failed shared statement again alone: only the bad one fails', async () => {
    const db = fakeDatabase(new Set(['bad|d']));
    const batcher = new IntakeBatcher(db.execute);
    const outcomes = await Promise.allSettled(
      ['a|d', 'bad|d', 'c|d'].map((key) => batcher.write(write(key))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('poisoned: bad|d'));
    expect(db.statements.map((s) => s.params)).toEqual([
      ['a|d', 'bad|d', 'c|d'],
      ['a|d'],
      ['bad|d'],
      ['c|d'],
    ]);
  });

  it('builds the shared statement from each write numbered in turn', () => {
    expect(sharedStatement([write('x|d')]).sql).toBe(
      'WITH dossier_sequence_0 AS (UPSERT x|d RETURNING x), dossier_code_0 AS (SELECT x FROM dossier_sequence_0) ' +
        'SELECT 0 AS n, code FROM dossier_code_0',
    );
  });
});
