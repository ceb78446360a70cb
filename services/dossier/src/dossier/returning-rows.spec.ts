import { returningRows } from './returning-rows';

describe('returningRows', () => {
  it('unwraps the [rows, count] answer of UPDATE … RETURNING and passes plain rows through', () => {
    expect(returningRows([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(returningRows([[], 0])).toEqual([]);
    expect(returningRows([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});
