import { figuresFrom } from '../queries/figures';
import { FIGURE_CATALOGUE, figureValue } from './figure-catalogue';

describe('the dashboard figure catalogue', () => {
  const figures = figuresFrom([], { inProgress: 3, overdue: 2 });

  it('names only paths the API answers (a number, or null for an undefined rate)', () => {
    for (const figure of FIGURE_CATALOGUE) {
      const parts = figure.path.split('.');
      const parent = parts
        .slice(0, -1)
        .reduce<unknown>((value, part) => (value as Record<string, unknown>)[part], figures) as Record<
        string,
        unknown
      >;
      expect({ path: figure.path, present: parts.at(-1)! in parent }).toEqual({
        path: figure.path,
        present: true,
      });
    }
    expect(figureValue(figures, 'dossiers.overdueNow')).toBe(2);
    expect(figureValue(figures, 'indicators.onTimeRate')).toBeNull();
    expect(figureValue(figures, 'dossiers.nothing.here')).toBeNull();
  });

  it('has the 15-day report lines and the Decision 766 rates as tiles, each key once', () => {
    const tiles = FIGURE_CATALOGUE.filter((figure) => figure.tile).map((figure) => figure.key);
    expect(tiles).toEqual([
      'dossiersReceived',
      'shareOnline',
      'proceduresInUse',
      'hotlineCalls',
      'appReports',
      'newAppAccounts',
      'membersRegistered',
      'feeTransactions',
      'onTimeRate',
      'onlineRate',
      'digitisationRate',
    ]);
    const keys = FIGURE_CATALOGUE.map((figure) => figure.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const figure of FIGURE_CATALOGUE) {
      expect(figure.label.vi.length).toBeGreaterThan(0);
      expect(figure.label.en.length).toBeGreaterThan(0);
    }
  });
});
