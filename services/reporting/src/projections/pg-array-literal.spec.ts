import { integerArrayLiteral, textArrayLiteral } from './pg-array-literal';

// pg's own parameter conversion, the reference: an internal module without type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): unknown };

describe('PostgreSQL array literals', () => {
  it('gives the literal pg itself would send for text arrays, escapes and nulls included', () => {
    const samples: (string | null)[][] = [
      [],
      ['00070', '2026-07-01', 'dossier.received', '', 'counter'],
      ['quote " inside', 'back\\slash', 'both \\" here', '{braces}', 'comma, space', 'NULL', 'tiếng Việt'],
      [null, 'after null', null],
    ];
    for (const values of samples) expect(textArrayLiteral(values)).toBe(prepareValue(values));
  });

  it('writes integers unquoted and refuses what is not a safe integer', () => {
    expect(integerArrayLiteral([1, -2, 150000, 0])).toBe('{1,-2,150000,0}');
    expect(integerArrayLiteral([])).toBe('{}');
    expect(() => integerArrayLiteral([1.5])).toThrow(RangeError);
    expect(() => integerArrayLiteral([Number.NaN])).toThrow(RangeError);
  });
});
