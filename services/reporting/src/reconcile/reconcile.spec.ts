import { figuresFrom, type Figures } from '../queries/figures';
import { compareCounts, parseStatsResponse, type SourceUnitCounts, statsQueryFor } from './reconcile';

const zeroSource = (unitCode: string): SourceUnitCounts => ({
  unitCode,
  submittedOnline: 0,
  received: 0,
  receivedOnline: 0,
  receivedDigitised: 0,
  refusedAtIntake: 0,
  resolved: 0,
  resolvedOnTime: 0,
  resultReturned: 0,
  withdrawn: 0,
  stopped: 0,
});

function figures(change: (f: Figures['dossiers']) => void): Figures {
  const result = figuresFrom([], { inProgress: 0, overdue: 0 });
  change(result.dossiers);
  return result;
}

describe('statsQueryFor', () => {
  it('turns inclusive Hanoi days into the half-open UTC instants the dossier service takes', () => {
    const query = statsQueryFor({ from: '2025-07-01', to: '2025-07-15' }, '00070');
    expect(query.get('from')).toBe('2025-06-30T17:00:00.000Z');
    expect(query.get('to')).toBe('2025-07-15T17:00:00.000Z');
    expect(query.get('unit')).toBe('00070');
  });

  it('crosses month and year ends', () => {
    const query = statsQueryFor({ from: '2025-12-31', to: '2025-12-31' });
    expect(query.get('from')).toBe('2025-12-30T17:00:00.000Z');
    expect(query.get('to')).toBe('2025-12-31T17:00:00.000Z');
    expect(query.has('unit')).toBe(false);
  });

  it('refuses what is not a day, and a reversed period', () => {
    expect(() => statsQueryFor({ from: '2025-7-1', to: '2025-07-15' })).toThrow('--from');
    expect(() => statsQueryFor({ from: '2025-07-15', to: '2025-07-01' })).toThrow('after');
  });
});

describe('parseStatsResponse', () => {
  it('reads the dossier service rows (extra fields such as feePaid ignored)', () => {
    const row = { ...zeroSource('00070'), received: 4, feePaid: 1 };
    expect(parseStatsResponse({ from: 'x', to: 'y', units: [row] })).toEqual([
      { ...zeroSource('00070'), received: 4 },
    ]);
  });

  it('fails on a missing or renamed count instead of reading it as 0', () => {
    const { resultReturned: _dropped, ...renamed } = zeroSource('00070');
    expect(() => parseStatsResponse({ units: [{ ...renamed, returned: 0 }] })).toThrow('resultReturned');
    expect(() => parseStatsResponse({ units: [{ ...zeroSource('00070'), received: '4' }] })).toThrow(
      'received',
    );
    expect(() => parseStatsResponse({ count: 0 })).toThrow('units');
  });
});

describe('compareCounts', () => {
  it('finds nothing when every count agrees, including the online, digitised and late ones', () => {
    const source = [
      {
        ...zeroSource('00070'),
        received: 5,
        receivedOnline: 1,
        receivedDigitised: 2,
        resolved: 3,
        resolvedOnTime: 2,
        resultReturned: 1,
      },
    ];
    const reporting = new Map([
      [
        '00070',
        figures((d) => {
          d.received = 5;
          d.receivedByChannel = { direct: 4, online: 1 };
          d.digitised = 2;
          d.resolved = 3;
          d.resolvedOnTime = 2;
          d.resolvedLate = 1;
          d.returned = 1;
        }),
      ],
      ['00103', figures(() => undefined)],
    ]);
    expect(compareCounts(source, reporting)).toEqual([]);
  });

  it('reports each disagreeing field, and a unit missing on one side as zeros', () => {
    const source = [{ ...zeroSource('00070'), received: 2, stopped: 1 }];
    const reporting = new Map([
      ['00070', figures((d) => (d.received = 1))],
      ['00103', figures((d) => (d.withdrawn = 1))],
    ]);
    expect(compareCounts(source, reporting)).toEqual([
      { unitCode: '00070', field: 'received', source: 2, reporting: 1 },
      { unitCode: '00070', field: 'stopped', source: 1, reporting: 0 },
      { unitCode: '00103', field: 'withdrawn', source: 0, reporting: 1 },
    ]);
  });
});
