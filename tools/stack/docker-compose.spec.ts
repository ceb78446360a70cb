import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  healthcheck?: { test: unknown };
  environment?: Record<string, unknown>;
}

const compose = parse(readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const infrastructure = new Set(['kafka', 'postgres', 'init']);
// Monitoring beside the stack (infra/monitoring; its structure: tools/monitoring/compose-monitoring.spec.ts).
const monitoring = new Set(['prometheus', 'alertmanager', 'grafana', 'jaeger']);
const servicesDir = resolve(repoRoot, 'services');
const serviceFolders = (existsSync(servicesDir) ? readdirSync(servicesDir, { withFileTypes: true }) : [])
  .filter(
    (entry) => entry.isDirectory() && existsSync(resolve(repoRoot, 'services', entry.name, 'package.json')),
  )
  .map((entry) => entry.name)
  .sort();

describe('docker-compose.yml', () => {
  it('runs Kafka from the official apache/kafka image in KRaft mode and PostgreSQL 16 or newer', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    const postgresMajor = Number(/^postgres:(\d+)/.exec(compose.services.postgres.image ?? '')?.[1]);
    expect(postgresMajor).toBeGreaterThanOrEqual(16);
  });

  it('names every service under services/, and only those', () => {
    const composeApps = Object.keys(compose.services)
      .filter((name) => !infrastructure.has(name) && !monitoring.has(name))
      .sort();
    expect(composeApps).toEqual(serviceFolders);
  });

  it('builds each service from a Dockerfile that exists, with a health check', () => {
    for (const name of serviceFolders) {
      const service = compose.services[name];
      expect(service.build).toBeDefined();
      expect(
        existsSync(resolve(repoRoot, service.build?.context ?? '', service.build?.dockerfile ?? '')),
      ).toBe(true);
      expect(service.build?.args?.SERVICE).toBe(name);
      expect(service.healthcheck).toBeDefined();
    }
  });

  it('gives every variable a service uses a line in .env.example', () => {
    const example = readFileSync(resolve(repoRoot, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    for (const name of serviceFolders) {
      for (const variable of Object.keys(compose.services[name].environment ?? {})) {
        if (variable === 'NODE_ENV') continue;
        expect({ variable, documented: documented.has(variable) }).toEqual({ variable, documented: true });
      }
    }
  });
});
