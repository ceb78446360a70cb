import { figuresFrom, type Figures } from '../queries/figures';
import {
  compareSigningCounts,
  parseSigningStatsResponse,
  type SigningSourceCounts,
} from './reconcile-signing';

const row = (unitCode: string, counts: Partial<SigningSourceCounts> = {}): SigningSourceCounts => ({
  unitCode,
  requested: 0,
  completed: 0,
  rejected: 0,
  timedOut: 0,
  ...counts,
});

function figures(signatures: Partial<Figures['signatures']>): Figures {
  const result = figuresFrom([], { inProgress: 0, overdue: 0 });
  Object.assign(result.signatures, signatures);
  return result;
}

describe('signing reconciliation', () => {
  it('reads the signing service rows, refusing a missing count', () => {
    const body = { from: 'x', to: 'y', units: [{ ...row('00070', { completed: 3 }), extra: 1 }] };
    expect(parseSigningStatsResponse(body)).toEqual([row('00070', { completed: 3 })]);
    expect(() => parseSigningStatsResponse({ units: [{ unitCode: '00070', requested: 1 }] })).toThrow(
      '"completed"',
    );
    expect(() => parseSigningStatsResponse({})).toThrow('no "units"');
  });

  it('finds no difference when both sides agree', () => {
    const reporting = new Map([['00070', figures({ completed: 3, rejected: 1, timedOut: 2 })]]);
    expect(
      compareSigningCounts(
        [row('00070', { requested: 7, completed: 3, rejected: 1, timedOut: 2 })],
        reporting,
      ),
    ).toEqual([]);
  });

  it('names each unit and outcome that differs, a unit missing on one side as zeros', () => {
    const reporting = new Map([
      ['00070', figures({ completed: 2 })],
      ['00103', figures({ timedOut: 1 })],
    ]);
    expect(
      compareSigningCounts([row('00070', { completed: 3 }), row('00004', { rejected: 1 })], reporting),
    ).toEqual([
      { unitCode: '00004', field: 'signaturesRejected', source: 1, reporting: 0 },
      { unitCode: '00070', field: 'signaturesCompleted', source: 3, reporting: 2 },
      { unitCode: '00103', field: 'signaturesTimedOut', source: 0, reporting: 1 },
    ]);
  });
});
