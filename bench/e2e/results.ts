// The shape of bench/results/e2e-latest.json and the table `npm run bench` prints: plain
// functions of the measured figures (no I/O), so the file's keys are tested without a run.

/** The goals issue 17 sets (reported against, never asserted). */
export const E2E_GOALS = {
  pipeline_to_naive_ratio_min: 3,
  cpu_to_floor_ratio_max: 1.3,
  city_15_days_wall_s_max: 600,
  replay_15_days_s_max: 30,
  freshness_p99_ms_max: 1_000,
} as const;

/** CPU ms per 1,000 events, by process (or part of the work, for the floor). */
export type CpuBreakdown = Record<string, number>;

/** A figure, or null and why it could not be measured in this run. */
export interface Figure {
  value: number | null;
  /** Where it comes from (a file and its date, a measurement), or why it is null. */
  source: string;
}

export interface E2eMeasurements {
  measuredAt: string;
  machine: { cores: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  workload: {
    events: number;
    keys: number;
    partitions: number;
    eventType: string;
    eventBytes: number;
    txSize: number;
    writers: number;
  };
  pipeline: { eps: number; cpu: CpuBreakdown; consumerTransactions: number };
  naiveNest: { eps: number; cpu: CpuBreakdown; consumerTransactions: number };
  floor: { cpu: CpuBreakdown };
  city15DaysWallS: Figure;
  replay15DaysS: Figure;
  freshnessP99Ms: Figure;
}

export const sum = (breakdown: CpuBreakdown): number =>
  Object.values(breakdown).reduce((total, ms) => total + ms, 0);

/** a / b to 2 decimals; null when b is 0 (nothing to compare with). */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? Math.round((a / b) * 100) / 100 : null;
}

export function e2eResults(m: E2eMeasurements) {
  const cpu = sum(m.pipeline.cpu);
  const floorCpu = sum(m.floor.cpu);
  return {
    measured_at: m.measuredAt,
    pipeline_eps: m.pipeline.eps,
    naive_nest_eps: m.naiveNest.eps,
    pipeline_to_naive_ratio: ratio(m.pipeline.eps, m.naiveNest.eps),
    cpu_ms_per_1000_events: cpu,
    floor_cpu_ms_per_1000_events: floorCpu,
    cpu_to_floor_ratio: ratio(cpu, floorCpu),
    city_15_days_wall_s: m.city15DaysWallS.value,
    replay_15_days_s: m.replay15DaysS.value,
    freshness_p99_ms: m.freshnessP99Ms.value,
    sources: {
      city_15_days_wall_s: m.city15DaysWallS.source,
      replay_15_days_s: m.replay15DaysS.source,
      freshness_p99_ms: m.freshnessP99Ms.source,
    },
    goals: E2E_GOALS,
    machine: {
      cores: m.machine.cores,
      load_average_at_start: m.machine.loadAverageAtStart,
      load_average_at_end: m.machine.loadAverageAtEnd,
    },
    workload: {
      events: m.workload.events,
      keys: m.workload.keys,
      partitions: m.workload.partitions,
      event_type: m.workload.eventType,
      event_bytes: m.workload.eventBytes,
      producer_transaction_events: m.workload.txSize,
      producer_writers: m.workload.writers,
    },
    pipeline_cpu_ms_per_1000_events_by_process: m.pipeline.cpu,
    naive_nest_cpu_ms_per_1000_events: sum(m.naiveNest.cpu),
    naive_nest_cpu_ms_per_1000_events_by_process: m.naiveNest.cpu,
    floor_cpu_ms_per_1000_events_by_part: m.floor.cpu,
    pipeline_consumer_transactions: m.pipeline.consumerTransactions,
    naive_nest_consumer_transactions: m.naiveNest.consumerTransactions,
  };
}

export type E2eResults = ReturnType<typeof e2eResults>;

/** Whether a figure meets its goal: "yes", "no", or "n/a" when it was not measured. */
function verdict(value: number | null, goal: number, kind: 'min' | 'max'): string {
  if (value === null) return 'n/a';
  return (kind === 'min' ? value >= goal : value <= goal) ? 'yes' : 'no';
}

/** The results as a Markdown table (the console and docs/perf/e2e.md print the same). */
export function e2eTable(r: E2eResults): string {
  const show = (value: number | null) => (value === null ? 'not measured' : value.toLocaleString('en-US'));
  const rows: [string, number | null, string, string][] = [
    ['pipeline_eps', r.pipeline_eps, '', ''],
    ['naive_nest_eps', r.naive_nest_eps, '', ''],
    [
      'pipeline_to_naive_ratio',
      r.pipeline_to_naive_ratio,
      `≥ ${E2E_GOALS.pipeline_to_naive_ratio_min}`,
      verdict(r.pipeline_to_naive_ratio, E2E_GOALS.pipeline_to_naive_ratio_min, 'min'),
    ],
    ['cpu_ms_per_1000_events', r.cpu_ms_per_1000_events, '', ''],
    ['floor_cpu_ms_per_1000_events', r.floor_cpu_ms_per_1000_events, '', ''],
    [
      'cpu_to_floor_ratio',
      r.cpu_to_floor_ratio,
      `≤ ${E2E_GOALS.cpu_to_floor_ratio_max}`,
      verdict(r.cpu_to_floor_ratio, E2E_GOALS.cpu_to_floor_ratio_max, 'max'),
    ],
    [
      'city_15_days_wall_s',
      r.city_15_days_wall_s,
      `≤ ${E2E_GOALS.city_15_days_wall_s_max}`,
      verdict(r.city_15_days_wall_s, E2E_GOALS.city_15_days_wall_s_max, 'max'),
    ],
    [
      'replay_15_days_s',
      r.replay_15_days_s,
      `≤ ${E2E_GOALS.replay_15_days_s_max}`,
      verdict(r.replay_15_days_s, E2E_GOALS.replay_15_days_s_max, 'max'),
    ],
    [
      'freshness_p99_ms',
      r.freshness_p99_ms,
      `≤ ${E2E_GOALS.freshness_p99_ms_max.toLocaleString('en-US')}`,
      verdict(r.freshness_p99_ms, E2E_GOALS.freshness_p99_ms_max, 'max'),
    ],
  ];
  return [
    '| key | value | goal | met |',
    '| --- | ---: | --- | --- |',
    ...rows.map(([key, value, goal, met]) => `| \`${key}\` | ${show(value)} | ${goal} | ${met} |`),
  ].join('\n');
}

/** The figures the city-15-days simulation wrote, looked up by key name at any depth. */
export interface CityFigures {
  city15DaysWallS: Figure;
  freshnessP99Ms: Figure;
}

/**
 * Reads `city_15_days_wall_s` and `freshness_p99_ms` from the city-15-days results (its text and
 * the file's path and modification time). A file from a `--scale` other than 1 is not the city's
 * 15 days: its wall time is not taken (its freshness is, as it is measured at 10× the busiest hour).
 */
export function cityFigures(
  file: string,
  text: string | undefined,
  modifiedAt: Date | undefined,
): CityFigures {
  if (text === undefined) {
    const why = `${file} not found: run \`npm run simulate -- --city-15-days\` first`;
    return { city15DaysWallS: { value: null, source: why }, freshnessP99Ms: { value: null, source: why } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const why = `${file} is not JSON`;
    return { city15DaysWallS: { value: null, source: why }, freshnessP99Ms: { value: null, source: why } };
  }
  // The file's own date first (the simulation writes `generatedAt`), not a section's found deeper.
  const top = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const measuredAt =
    [top.measured_at, top.generatedAt].find((date) => typeof date === 'string') ??
    findKey(parsed, 'measured_at') ??
    findKey(parsed, 'measuredAt');
  const dated = `${file} (${typeof measuredAt === 'string' ? `measured ${measuredAt}` : `modified ${modifiedAt?.toISOString() ?? 'at an unknown date'}`})`;
  const scale = findKey(parsed, 'scale');
  const figure = (key: string, fullScaleOnly: boolean): Figure => {
    const value = findKey(parsed, key);
    if (typeof value !== 'number' || !Number.isFinite(value))
      return { value: null, source: `${dated} has no numeric \`${key}\`` };
    if (fullScaleOnly && typeof scale === 'number' && scale !== 1)
      return { value: null, source: `${dated} is a --scale ${scale} run, not the full 15 days` };
    // A section measured apart (the freshness phase run alone) carries its own `measured_at`.
    const own = findOwner(parsed, key)?.measured_at;
    return { value, source: typeof own === 'string' ? `${file} (measured ${own})` : dated };
  };
  return {
    city15DaysWallS: figure('city_15_days_wall_s', true),
    freshnessP99Ms: figure('freshness_p99_ms', false),
  };
}

/** The object holding the first `key`, breadth first (as findKey finds it). */
export function findOwner(value: unknown, key: string): Record<string, unknown> | undefined {
  const queue: unknown[] = [value];
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object') continue;
    if (!Array.isArray(next) && Object.prototype.hasOwnProperty.call(next, key))
      return next as Record<string, unknown>;
    queue.push(...Object.values(next as Record<string, unknown>));
  }
  return undefined;
}

/** The first value under `key`, breadth first (top level wins). */
export function findKey(value: unknown, key: string): unknown {
  const queue: unknown[] = [value];
  while (queue.length > 0) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object') continue;
    if (!Array.isArray(next) && Object.prototype.hasOwnProperty.call(next, key))
      return (next as Record<string, unknown>)[key];
    queue.push(...Object.values(next as Record<string, unknown>));
  }
  return undefined;
}
