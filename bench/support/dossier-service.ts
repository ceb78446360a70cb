// The dossier service as its own process for a benchmark (bench/intake, bench/lifecycle): an officer's
// token for every Hanoi unit.
import hanoiUnits from '../../services/dossier/src/reference-data/hanoi-units-2025.json';
import { type BenchProcess, startBenchProcess } from './service-process';

export { admin, databaseUrl, repoRoot } from './service-process';
export const UNIT_CODES: string[] = hanoiUnits.units.map((unit) => unit.code);

/** Valid national IDs (Hà Nội registration code 001, born 1990s): only the tail varies. */
export const nationalId = (i: number): string => `0010990${String(i % 100_000).padStart(5, '0')}`;

export interface BenchServiceOptions {
  /** `bench_<label>_<run>`: the database of this run. */
  label: string;
  serverUrl: string;
  brokers: string;
  /** Run services/dossier/src under swc-node instead of the built dist. */
  fromSource?: boolean;
  /** The service writes a .cpuprofile there. */
  cpuProfileDir?: string;
  /** Extra environment for the service (e.g. DB_STATEMENT_COUNTING). */
  env?: Record<string, string>;
}

/** `token`: an officer of every Hanoi unit. */
export type BenchService = BenchProcess;

/** Starts the dossier service on a fresh database and topics and waits until it is live. */
export function startDossierService(options: BenchServiceOptions): Promise<BenchService> {
  return startBenchProcess({
    ...options,
    service: 'dossier',
    fromSource: options.fromSource ?? false,
    caller: { subject: '0198b000-0000-7000-8000-00000000bec1', roles: ['officer'], units: UNIT_CODES },
    runEnv: (runId) => ({
      DOSSIER_EVENTS_TOPIC: `bench_dossier_events_${runId}`,
      SIGNING_EVENTS_TOPIC: `bench_signing_events_${runId}`,
      DOSSIER_CONSUMER_GROUP: `bench_dossier_${runId}`,
      OVERDUE_SCAN_INTERVAL_MS: '0',
    }),
  });
}
