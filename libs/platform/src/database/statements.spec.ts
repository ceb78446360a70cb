import { combineStatements } from './statements';

describe('combineStatements', () => {
  it('renumbers each statement’s parameters after the previous ones and wraps all but the last in CTEs', () => {
    expect(
      combineStatements([
        { sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: [1, 2] },
        { sql: 'INSERT INTO b (x) VALUES ($1), ($2)', params: ['p', 'q'] },
        { sql: 'INSERT INTO c (x) VALUES ($1)', params: [null] },
      ]),
    ).toEqual({
      sql:
        'WITH combined_0 AS (INSERT INTO a (x, y) VALUES ($1, $2)), ' +
        'combined_1 AS (INSERT INTO b (x) VALUES ($3), ($4)) INSERT INTO c (x) VALUES ($5)',
      params: [1, 2, 'p', 'q', null],
    });
  });

  it('leaves a single statement as it is', () => {
    expect(combineStatements([{ sql: 'INSERT INTO a VALUES ($1)', params: [7] }])).toEqual({
      sql: 'INSERT INTO a VALUES ($1)',
      params: [7],
    });
  });

  it('names a CTE after its statement when asked, so later statements can read what it returns', () => {
    expect(
      combineStatements([
        { name: 'n', sql: 'INSERT INTO c (x) VALUES ($1) RETURNING x', params: [1] },
        { sql: 'INSERT INTO d (y) VALUES ((SELECT x FROM n), $1)', params: [2] },
        { sql: 'SELECT x FROM n', params: [] },
      ]),
    ).toEqual({
      sql:
        'WITH n AS (INSERT INTO c (x) VALUES ($1) RETURNING x), ' +
        'combined_1 AS (INSERT INTO d (y) VALUES ((SELECT x FROM n), $2)) SELECT x FROM n',
      params: [1, 2],
    });
  });
});
