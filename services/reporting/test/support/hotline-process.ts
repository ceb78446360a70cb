import { type ServiceProcess, startSourceServiceProcess } from './dossier-process';

/** The hotline service as its own process (its overdue scan off); resolves once `/health/live` answers. */
export function startHotlineProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startSourceServiceProcess('hotline', { OVERDUE_SCAN_INTERVAL_MS: '0', ...env });
}
