// replay_15_days_s: a rebuild of the reporting projections from every event of a stack the city's
// 15 days ran on (`npm run simulate -- --city-15-days`). `npm run bench` times it when pointed at
// that stack (BENCH_CITY_REPORTING_DATABASE_URL and KAFKA_BROKERS), after its e2e runs; `npm run
// bench:replay` times only the rebuild, with the same two variables, and writes
// bench/results/replay-15-days-latest.json, which `npm run bench` reports when it is not pointed at
// a stack itself.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { rebuildFromEnvironment } from '../../services/reporting/src/rebuild/rebuild-from-environment';
import type { Figure } from './results';

const repoRoot = resolve(__dirname, '../..');
export const REPLAY_FILE = resolve(repoRoot, 'bench', 'results', 'replay-15-days-latest.json');
const CITY_FILE = resolve(repoRoot, 'bench', 'results', 'city-15-days-latest.json');

/** A rebuild of the city's reporting projections, when the run is pointed at the stack that holds them. */
export async function replay(log: (line: string) => void): Promise<Figure> {
  const url = process.env.BENCH_CITY_REPORTING_DATABASE_URL;
  if (!url)
    return {
      value: null,
      source:
        "not measured: the city's 15 days of events are not on this run's broker; after " +
        '`npm run simulate -- --city-15-days` on a stack, run `BENCH_CITY_REPORTING_DATABASE_URL=<its reporting ' +
        'database> KAFKA_BROKERS=<its broker> npm run bench` (or `npm run bench:replay`, the rebuild alone) ' +
        'to time a reporting rebuild of them',
    };
  const result = await rebuildFromEnvironment(url, 'bench-e2e-rebuild', { log });
  // A stack without the city's events rebuilds nothing in no time: that is no replay figure.
  if (result.eventsApplied === 0)
    return { value: null, source: 'not measured: the reporting rebuild found no events on that stack' };
  return {
    value: Math.round(result.seconds * 10) / 10,
    source: `reporting rebuild of ${result.eventsApplied} events into generation ${result.generation}`,
  };
}

/**
 * The figure of the last `npm run bench:replay`, if it measured one: a value only for a stack the
 * full 15 days ran on (scale 1), as for city_15_days_wall_s; a smaller run's rebuild is only named.
 */
export function lastReplay(file: string): Figure | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      replay_15_days_s?: unknown;
      source?: unknown;
      measuredAt?: unknown;
      cityScale?: unknown;
    };
    if (typeof saved.replay_15_days_s !== 'number') return undefined;
    const what = `${relative(repoRoot, file)} (measured ${String(saved.measuredAt)}): ${String(saved.source)}`;
    if (saved.cityScale !== 1)
      return {
        value: null,
        source: `${what} in ${saved.replay_15_days_s} s, after a --scale ${String(saved.cityScale)} run, not the full 15 days`,
      };
    return { value: saved.replay_15_days_s, source: what };
  } catch {
    return undefined;
  }
}

function lastCityScale(): number | null {
  try {
    const scale = (JSON.parse(readFileSync(CITY_FILE, 'utf8')) as { scale?: unknown }).scale;
    return typeof scale === 'number' ? scale : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`[bench:replay] ${line}`);
  if (!process.env.BENCH_CITY_REPORTING_DATABASE_URL || !process.env.KAFKA_BROKERS)
    throw new Error(
      'set BENCH_CITY_REPORTING_DATABASE_URL (the reporting database) and KAFKA_BROKERS (its broker)',
    );
  const loadAverageAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  const figure = await replay(log);
  const result = {
    measuredAt: new Date().toISOString(),
    replay_15_days_s: figure.value,
    source: figure.source,
    // The scale of the last city run (bench/results/city-15-days-latest.json): the stack's events.
    cityScale: lastCityScale(),
    machine: {
      cores: cpus().length,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100),
    },
  };
  log(`replay_15_days_s ${figure.value ?? '–'}: ${figure.source}`);
  if (figure.value === null) process.exitCode = 1;
  else {
    mkdirSync(resolve(REPLAY_FILE, '..'), { recursive: true });
    writeFileSync(REPLAY_FILE, `${JSON.stringify(result, null, 2)}\n`);
    log(`written ${relative(repoRoot, REPLAY_FILE)}`);
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
