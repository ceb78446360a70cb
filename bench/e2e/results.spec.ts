import {
  cityFigures,
  E2E_GOALS,
  e2eResults,
  e2eTable,
  type E2eMeasurements,
  findKey,
  ratio,
} from './results';

const measurements = (overrides: Partial<E2eMeasurements> = {}): E2eMeasurements => ({
  measuredAt: '2026-11-30T07:00:00.000Z',
  machine: { cores: 2, loadAverageAtStart: [3.1, 2.5, 2], loadAverageAtEnd: [3.5, 2.7, 2.1] },
  workload: {
    events: 30_000,
    keys: 500,
    partitions: 12,
    eventType: 'dossier.received.v1',
    eventBytes: 1_024,
    txSize: 10,
    writers: 8,
  },
  pipeline: {
    eps: 9_000,
    cpu: { producer: 40, consumer: 30, postgres: 35, broker: 15 },
    consumerTransactions: 300,
  },
  naiveNest: { eps: 1_500, cpu: { producer: 90, consumer: 150 }, consumerTransactions: 30_000 },
  floor: { cpu: { kafkajs: 40, postgres: 40 } },
  city15DaysWallS: { value: null, source: 'no file' },
  replay15DaysS: { value: null, source: 'not pointed at a city stack' },
  freshnessP99Ms: { value: 420, source: 'bench/results/city-15-days-latest.json (measured 2026-11-30)' },
  ...overrides,
});

describe('bench/results/e2e-latest.json', () => {
  it('carries every key issue 17 names, with the ratios computed from the figures', () => {
    const results = e2eResults(measurements());
    expect(results).toMatchObject({
      pipeline_eps: 9_000,
      naive_nest_eps: 1_500,
      pipeline_to_naive_ratio: 6,
      cpu_ms_per_1000_events: 120,
      floor_cpu_ms_per_1000_events: 80,
      cpu_to_floor_ratio: 1.5,
      city_15_days_wall_s: null,
      replay_15_days_s: null,
      freshness_p99_ms: 420,
      goals: E2E_GOALS,
    });
    expect(results.sources.replay_15_days_s).toBe('not pointed at a city stack');
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });

  it('gives no ratio when there is nothing to divide by', () => {
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(10, 3)).toBe(3.33);
  });

  it('prints a row per key, the goal and whether it is met, "not measured" for a null', () => {
    const table = e2eTable(e2eResults(measurements()));
    expect(table).toContain('| `pipeline_to_naive_ratio` | 6 | ≥ 3 | yes |');
    expect(table).toContain('| `cpu_to_floor_ratio` | 1.5 | ≤ 1.3 | no |');
    expect(table).toContain('| `replay_15_days_s` | not measured | ≤ 30 | n/a |');
    expect(table).toContain('| `freshness_p99_ms` | 420 | ≤ 1,000 | yes |');
  });
});

describe('the city-15-days figures', () => {
  const file = 'bench/results/city-15-days-latest.json';
  const modified = new Date('2026-11-29T10:00:00.000Z');

  it('are null with the way to produce them when the file is missing', () => {
    const city = cityFigures(file, undefined, undefined);
    expect(city.city15DaysWallS.value).toBeNull();
    expect(city.freshnessP99Ms.source).toContain('npm run simulate -- --city-15-days');
  });

  it('are read at any depth, the source naming the file and its date', () => {
    const text = JSON.stringify({
      measured_at: '2026-11-30T05:00:00.000Z',
      scale: 1,
      performance: { city_15_days_wall_s: 512.4, freshness: { freshness_p99_ms: 830 } },
    });
    const city = cityFigures(file, text, modified);
    expect(city.city15DaysWallS).toEqual({
      value: 512.4,
      source: `${file} (measured 2026-11-30T05:00:00.000Z)`,
    });
    expect(city.freshnessP99Ms.value).toBe(830);
  });

  it('date the freshness by its own section when it was measured apart from the 15 days', () => {
    const text = JSON.stringify({
      measured_at: '2026-11-29T05:00:00.000Z',
      scale: 0.1,
      city_15_days_wall_s: 40,
      freshness: { measured_at: '2026-11-30T09:40:00.000Z', freshness_p99_ms: 612 },
    });
    const city = cityFigures(file, text, modified);
    expect(city.freshnessP99Ms).toEqual({
      value: 612,
      source: `${file} (measured 2026-11-30T09:40:00.000Z)`,
    });
    expect(city.city15DaysWallS.source).toContain('measured 2026-11-29T05:00:00.000Z');
    // The simulation's own date (generatedAt) dates the file, not the section's.
    const simulated = cityFigures(
      file,
      JSON.stringify({
        generatedAt: '2026-11-30T07:04:12.420Z',
        scale: 1,
        city_15_days_wall_s: 388.8,
        freshness: { measured_at: '2026-11-30T09:41:39.526Z', freshness_p99_ms: 700 },
      }),
      modified,
    );
    expect(simulated.city15DaysWallS).toEqual({
      value: 388.8,
      source: `${file} (measured 2026-11-30T07:04:12.420Z)`,
    });
    expect(simulated.freshnessP99Ms.source).toBe(`${file} (measured 2026-11-30T09:41:39.526Z)`);
  });

  it('take no wall time from a scaled-down run, and say so', () => {
    const text = JSON.stringify({ scale: 0.1, city_15_days_wall_s: 40, freshness_p99_ms: 300 });
    const city = cityFigures(file, text, modified);
    expect(city.city15DaysWallS.value).toBeNull();
    expect(city.city15DaysWallS.source).toContain('--scale 0.1');
    expect(city.city15DaysWallS.source).toContain('modified 2026-11-29T10:00:00.000Z');
    expect(city.freshnessP99Ms.value).toBe(300);
  });

  it('are null, with the reason, when a key is missing or the file is not JSON', () => {
    expect(cityFigures(file, '{"freshness_p99_ms": "fast"}', modified).freshnessP99Ms.source).toContain(
      'no numeric `freshness_p99_ms`',
    );
    expect(cityFigures(file, 'not json', modified).city15DaysWallS.source).toContain('is not JSON');
  });

  it('prefer the top-level key over a nested one', () => {
    expect(findKey({ nested: { a: 2 }, a: 1 }, 'a')).toBe(1);
    expect(findKey([{ a: 3 }], 'a')).toBe(3);
    expect(findKey({ b: null }, 'a')).toBeUndefined();
  });
});
