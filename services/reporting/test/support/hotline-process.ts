import { spawnServiceProcess } from './reporting-process';
import { type ServiceProcess, waitUntilLive } from './dossier-process';

/**
 * The hotline service as its own process, started by path from its sources (reporting must not
 * import another service's code). Resolves once `/health/live` answers.
 */
export async function startHotlineProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const started = await spawnServiceProcess('services/hotline/src/main.ts', 'tools/tsconfig.json', {
    OVERDUE_SCAN_INTERVAL_MS: '0',
    ...env,
  });
  const { child, exited } = started;
  const service: ServiceProcess = {
    ...started,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntilLive(service);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
