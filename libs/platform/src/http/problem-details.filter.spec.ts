import { QueryFailedError } from 'typeorm';
import { problemFor } from './problem-details.filter';

function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), { code }));
}

describe('problemFor', () => {
  it('answers 400 for text the database cannot store (NUL in a parameter), without echoing it', () => {
    for (const code of ['22021', '22P05']) {
      const problem = problemFor(queryFailed(code));
      expect(problem.status).toBe(400);
      expect(problem.detail).toMatch(/cannot be stored/);
    }
  });

  it('keeps 409 for a unique violation and 500 with a fixed text for other database errors', () => {
    expect(problemFor(queryFailed('23505')).status).toBe(409);
    const other = problemFor(queryFailed('57014'));
    expect(other.status).toBe(500);
    expect(other.detail).not.toMatch(/SELECT/);
  });
});
