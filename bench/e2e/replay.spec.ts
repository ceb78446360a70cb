import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastReplay } from './replay';

describe('lastReplay (the figure of the last npm run bench:replay)', () => {
  const saved = (content: unknown) => {
    const file = join(mkdtempSync(join(tmpdir(), 'replay-')), 'replay-15-days-latest.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const run = { measuredAt: '2026-11-30T10:00:00.000Z', replay_15_days_s: 84.2, source: 'reporting rebuild' };

  it('gives the rebuild of the full 15 days as replay_15_days_s', () => {
    expect(lastReplay(saved({ ...run, cityScale: 1 }))).toEqual({
      value: 84.2,
      source: expect.stringContaining('measured 2026-11-30T10:00:00.000Z'),
    });
  });

  it('names, but does not count, the rebuild after a smaller run', () => {
    const figure = lastReplay(saved({ ...run, cityScale: 0.1 }));
    expect(figure?.value).toBeNull();
    expect(figure?.source).toContain('--scale 0.1 run, not the full 15 days');
  });

  it('has nothing without a measured figure', () => {
    expect(lastReplay(join(tmpdir(), 'no-such-replay.json'))).toBeUndefined();
    expect(lastReplay(saved({ replay_15_days_s: null }))).toBeUndefined();
    expect(lastReplay(saved('not json {'))).toBeUndefined();
  });
});
