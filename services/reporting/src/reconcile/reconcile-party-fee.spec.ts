import { figuresFrom, type Figures } from '../queries/figures';
import { comparePartyFeeCounts, parsePartyFeeStats } from './reconcile-party-fee';

function figures(partyFees: Partial<Figures['partyFees']>): Figures {
  const result = figuresFrom([], { inProgress: 0, overdue: 0 });
  Object.assign(result.partyFees, partyFees);
  return result;
}

describe('party-fee reconciliation (issue 15)', () => {
  it('finds nothing when members, transactions net of reversals and VND agree', () => {
    const source = parsePartyFeeStats({
      units: [{ unitCode: '00070', membersRegistered: 3, payments: 5, reversals: 1, collectedVnd: 410_000 }],
    });
    const reporting = new Map([
      ['00070', figures({ membersRegistered: 3, transactions: 4, collectedVnd: 410_000 })],
    ]);
    expect(comparePartyFeeCounts(source, reporting)).toEqual([]);
  });

  it('names each disagreeing field, and a unit missing on one side as zeros', () => {
    const source = parsePartyFeeStats({
      units: [
        { unitCode: '00070', membersRegistered: 3, payments: 5, reversals: 1, collectedVnd: 410_000 },
        { unitCode: '00103', membersRegistered: 1, payments: 0, reversals: 0, collectedVnd: 0 },
      ],
    });
    const reporting = new Map([
      ['00070', figures({ membersRegistered: 2, transactions: 4, collectedVnd: 400_000 })],
    ]);
    expect(comparePartyFeeCounts(source, reporting)).toEqual([
      { unitCode: '00070', field: 'partyMembersRegistered', source: 3, reporting: 2 },
      { unitCode: '00070', field: 'partyFeeCollectedVnd', source: 410_000, reporting: 400_000 },
      { unitCode: '00103', field: 'partyMembersRegistered', source: 1, reporting: 0 },
    ]);
  });

  it('refuses an answer with a missing or renamed count instead of reading 0', () => {
    expect(() => parsePartyFeeStats({})).toThrow('units');
    expect(() =>
      parsePartyFeeStats({
        units: [{ unitCode: '00070', membersRegistered: 1, payments: 1, collectedVnd: 1 }],
      }),
    ).toThrow('reversals');
    expect(() =>
      parsePartyFeeStats({
        units: [{ unitCode: '00070', membersRegistered: 1, payments: 1, reversals: 0, collectedVnd: '1' }],
      }),
    ).toThrow('collectedVnd');
  });
});
