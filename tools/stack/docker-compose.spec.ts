import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  healthcheck?: { test: unknown };
  environment?: Record<string, unknown>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
}

const compose = parse(readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
// The development OpenID Connect provider (tools/oidc) runs beside them as `oidc`.
const infrastructure = new Set(['kafka', 'postgres', 'init', 'oidc']);
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

  it('runs every health check without a shell reading its script (no command substitution)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const test = service.healthcheck?.test;
      if (!Array.isArray(test) || test[0] !== 'CMD-SHELL') continue;
      expect({ name, script: test[1] }).toEqual({ name, script: expect.not.stringMatching(/[`]|\$\(/) });
    }
  });
});

/** The value compose uses when the variable is unset: `${NAME:-default}` or `${NAME-default}`. */
function composeDefault(value: unknown): string | undefined {
  return /^\$\{[A-Z0-9_]+:?-(.*)\}$/.exec(String(value ?? ''))?.[1];
}

describe('docker-compose.yml: sign-in at the development OpenID Connect provider (tools/oidc)', () => {
  const oidc = compose.services.oidc!;
  const issuer = composeDefault(oidc?.environment?.OIDC_ISSUER);

  it('runs tools/oidc as its own service, outside production mode, with a health check', () => {
    expect(oidc.build?.dockerfile).toBe('infra/docker/oidc.Dockerfile');
    const dockerfile = readFileSync(resolve(repoRoot, oidc.build!.dockerfile), 'utf8');
    expect(dockerfile).toContain('tools/oidc/main.ts');
    expect(dockerfile).toMatch(/NODE_ENV=development/);
    expect(dockerfile).toMatch(/OIDC_HOST=0\.0\.0\.0/);
    expect(oidc.environment?.NODE_ENV).toBeUndefined();
    expect(oidc.environment?.OIDC_DEV_PASSWORD).toMatch(/^\$\{OIDC_DEV_PASSWORD:\?/);
    expect(JSON.stringify(oidc.healthcheck?.test)).toContain('/.well-known/openid-configuration');
  });

  it('publishes the provider where its issuer says, so browsers reach it', () => {
    expect(issuer).toBe('http://127.0.0.1:8080/realms/hanoi');
    const port = new URL(issuer!).port;
    expect(oidc.environment?.OIDC_PORT).toBe(Number(port));
    expect(oidc.ports).toContain(`${port}:${port}`);
    // The issuer is one variable for the provider and the services: JWT_ISSUER.
    expect(oidc.environment?.OIDC_ISSUER).toBe(compose.services.dossier.environment?.JWT_ISSUER);
    expect(oidc.environment?.JWT_AUDIENCE).toBe(compose.services.dossier.environment?.JWT_AUDIENCE);
    const redirects = String(oidc.environment?.OIDC_DASHBOARD_REDIRECT_URIS).split(',');
    const reportingPort = compose.services.reporting.environment?.PORT;
    expect(redirects).toContain(`http://127.0.0.1:${reportingPort}/dashboard`);
  });

  it.each(serviceFolders.map((name) => [name]))(
    '%s verifies tokens with the provider: its issuer, and its JWKS inside compose',
    (name) => {
      const environment = compose.services[name]!.environment ?? {};
      expect(composeDefault(environment.JWT_ISSUER)).toBe(issuer);
      const jwks = composeDefault(environment.JWKS_URL);
      expect(jwks).toBe(`http://oidc:${new URL(issuer!).port}${new URL(issuer!).pathname}/jwks`);
    },
  );

  it('lets the reporting service reach the provider from inside compose for the dashboard sign-in', () => {
    const internal = composeDefault(compose.services.reporting.environment?.DASHBOARD_OIDC_INTERNAL_URL);
    expect(internal).toBe(`http://oidc:${new URL(issuer!).port}${new URL(issuer!).pathname}`);
  });
});
