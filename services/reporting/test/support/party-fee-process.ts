import { spawnServiceProcess } from './reporting-process';
import { type ServiceProcess, waitUntilLive } from './dossier-process';

/**
 * The party-fee service as its own process, started by path from its sources (reporting must not
 * import another service's code). Resolves once `/health/live` answers.
 */
export async function startPartyFeeProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const started = await spawnServiceProcess('services/party-fee/src/main.ts', 'tools/tsconfig.json', env);
  const service: ServiceProcess = {
    ...started,
    async stop() {
      if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
      await started.exited;
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
