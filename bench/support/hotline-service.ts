// The hotline service as its own process for a benchmark: the iHanoi gateway's token (a channel's
// service client).
import { type BenchProcess, startBenchProcess } from './service-process';

/** `token`: the iHanoi gateway (role service), which submits citizens' reports. */
export type HotlineBenchService = BenchProcess;

export function startHotlineService(options: {
  serverUrl: string;
  brokers: string;
  fromSource?: boolean;
}): Promise<HotlineBenchService> {
  return startBenchProcess({
    ...options,
    service: 'hotline',
    label: 'hotline',
    fromSource: options.fromSource ?? false,
    caller: { subject: 'ihanoi-gateway', roles: ['service'], units: [] },
    runEnv: (runId) => ({
      HOTLINE_EVENTS_TOPIC: `bench_hotline_events_${runId}`,
      DOSSIER_EVENTS_TOPIC: `bench_hotline_dossier_events_${runId}`,
      HOTLINE_CONSUMER_GROUP: `bench_hotline_${runId}`,
      OVERDUE_SCAN_INTERVAL_MS: '0',
    }),
  });
}
