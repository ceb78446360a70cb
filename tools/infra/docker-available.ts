import { spawnSync } from 'node:child_process';

/** True only when a Docker engine answers; the docker client alone (as on this machine kind) is not enough. */
export function dockerEngineAvailable(): boolean {
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5000,
    encoding: 'utf8',
  });
  return result.status === 0 && result.stdout.trim() !== '';
}
