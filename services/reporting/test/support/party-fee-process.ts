import { type ServiceProcess, startSourceServiceProcess } from './dossier-process';

/** The party-fee service as its own process; resolves once `/health/live` answers. */
export function startPartyFeeProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startSourceServiceProcess('party-fee', env);
}
