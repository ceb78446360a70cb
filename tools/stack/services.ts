import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../infra/paths';

/**
 * How `npm start` runs a service, declared in the service's package.json under "backbone":
 * { "port": 3101, "database": "dossier", "main": "dist/main.js", "migrate": "dist/migrate.js" }.
 * A service folder without it is not started (it is still built and tested).
 * Optional "quietEnv": variables that turn off the service's background writers (schedulers),
 * so black-box tests such as the API fuzz suite see only the writes their requests cause.
 */
export interface ServiceDescriptor {
  name: string;
  dir: string;
  port: number;
  database: string;
  main: string;
  migrate?: string;
  quietEnv?: Record<string, string>;
}

export function discoverServices(servicesDir = resolve(repoRoot, 'services')): ServiceDescriptor[] {
  if (!existsSync(servicesDir)) return [];
  const services: ServiceDescriptor[] = [];
  for (const entry of readdirSync(servicesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = resolve(servicesDir, entry.name);
    const packageFile = resolve(dir, 'package.json');
    if (!existsSync(packageFile)) continue;
    const backbone = (
      JSON.parse(readFileSync(packageFile, 'utf8')) as { backbone?: Partial<ServiceDescriptor> }
    ).backbone;
    if (!backbone?.port || !backbone.database || !backbone.main) continue;
    services.push({
      name: entry.name,
      dir,
      port: backbone.port,
      database: backbone.database,
      main: resolve(dir, backbone.main),
      ...(backbone.migrate ? { migrate: resolve(dir, backbone.migrate) } : {}),
      ...(backbone.quietEnv ? { quietEnv: backbone.quietEnv } : {}),
    });
  }
  return services.sort((a, b) => a.port - b.port);
}
