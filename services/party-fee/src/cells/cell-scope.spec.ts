import { cellScopeCondition, cellScopeOf, scopeCoversCell } from './cell-scope';

const user = (roles: string[], unitCodes: string[], subject = 'someone') => ({
  subject,
  roles: roles as never,
  unitCodes,
});
const cellA = { unitCode: '00070', treasurerSubject: 'treasurer-a' };
const cellB = { unitCode: '00103', treasurerSubject: 'treasurer-b' };

describe('unit scope of party cells', () => {
  it('a treasurer sees the cells they keep, a committee its unit’s cells, the city all', () => {
    const treasurer = cellScopeOf(user(['party-cell-treasurer'], ['00070'], 'treasurer-a'));
    expect([scopeCoversCell(treasurer, cellA), scopeCoversCell(treasurer, cellB)]).toEqual([true, false]);
    // A treasurer's unit claim alone does not open the unit's other cells.
    expect(scopeCoversCell(treasurer, { unitCode: '00070', treasurerSubject: 'treasurer-z' })).toBe(false);
    const committee = cellScopeOf(user(['officer'], ['00103']));
    expect([scopeCoversCell(committee, cellA), scopeCoversCell(committee, cellB)]).toEqual([false, true]);
    expect(scopeCoversCell(cellScopeOf(user(['city-admin'], [])), cellB)).toBe(true);
    expect(scopeCoversCell(cellScopeOf(user(['auditor'], []), 'read'), cellB)).toBe(true);
    expect(scopeCoversCell(cellScopeOf(user(['auditor'], []), 'write'), cellB)).toBe(false);
  });

  it('becomes a parameterised SQL condition, FALSE for nobody', () => {
    const params: unknown[] = [];
    expect(
      cellScopeCondition(cellScopeOf(user(['officer', 'party-cell-treasurer'], ['00070'], 't')), 'c', params),
    ).toBe('(c.unit_code = ANY($1::text[]) OR c.treasurer_subject = $2)');
    expect(params).toEqual([['00070'], 't']);
    expect(cellScopeCondition(cellScopeOf(user(['hotline-agent'], ['00070'])), 'c', [])).toBe('FALSE');
    expect(cellScopeCondition(cellScopeOf(user(['city-admin'], [])), 'c', [])).toBe('TRUE');
  });
});
