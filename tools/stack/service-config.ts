import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ConfigClass, PlatformConfig } from '@backbone/platform';
import { repoRoot } from '../infra/paths';

/**
 * The configuration class a service loads at start (`services/<name>/src/config.ts`: the exported
 * subclass of PlatformConfig), so that a deployment's environment can be checked the way the service
 * itself will check it: docker compose's (tools/stack/docker-compose.spec.ts) and the Kubernetes
 * overlays' (tools/k8s/manifests.spec.ts).
 */
export function serviceConfigClass(service: string): ConfigClass<PlatformConfig> {
  const file = resolve(repoRoot, 'services', service, 'src', 'config.ts');
  if (!existsSync(file)) throw new Error(`services/${service} has no src/config.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the service is known at run time only
  const exported = Object.values(require(file) as Record<string, unknown>).filter(
    (value): value is ConfigClass<PlatformConfig> =>
      typeof value === 'function' && value.prototype instanceof PlatformConfig,
  );
  if (exported.length !== 1)
    throw new Error(
      `services/${service}/src/config.ts exports ${exported.length} PlatformConfig classes, not 1`,
    );
  return exported[0]!;
}

/**
 * docker compose's interpolation of one value: `${NAME}`, `${NAME:-default}`, `${NAME-default}` and
 * `${NAME:?message}` (throws, as compose refuses to start), from `env`.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}/g,
    (_match, name: string, colon: string, kind: string | undefined, rest: string) => {
      const value = env[name];
      const unset = value === undefined || (colon === ':' && value === '');
      if (!kind) return value ?? '';
      if (kind === '-') return unset ? interpolate(rest, env) : value!;
      if (unset) throw new Error(`${name}: ${rest}`);
      return value!;
    },
  );
}
