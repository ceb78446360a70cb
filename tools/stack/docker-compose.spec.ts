import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';
import { loadConfig } from '@backbone/platform';
import { envWithFreshSecrets } from './generate-secrets';
import { interpolate, serviceConfigClass } from './service-config';

interface ComposeService {
  image?: string;
  profiles?: string[];
  restart?: string;
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
// kafka-2 and kafka-3: the three-node variant (profile kafka-cluster).
const infrastructure = new Set(['kafka', 'kafka-2', 'kafka-3', 'postgres', 'init', 'oidc']);
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

  it('runs every part the deployment needs: the services, Kafka, PostgreSQL, the OIDC provider, monitoring', () => {
    expect(serviceFolders).toEqual(
      expect.arrayContaining(['dossier', 'hotline', 'party-fee', 'reporting', 'signing']),
    );
    for (const name of [...serviceFolders, ...infrastructure, ...monitoring])
      expect({ name, defined: compose.services[name] !== undefined }).toEqual({ name, defined: true });
  });

  it('checks the health of every long-running container (init is a one-shot job)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'init') {
        expect(service.restart).toBe('no');
        continue;
      }
      expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({
        name,
        healthcheck: true,
      });
    }
    // Whatever starts after the infrastructure waits for it to be healthy, not merely started.
    for (const name of serviceFolders)
      expect(compose.services[name]!.depends_on).toMatchObject({
        init: { condition: 'service_completed_successfully' },
        kafka: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
  });

  it('has a three-node KRaft variant of Kafka as the profile kafka-cluster', () => {
    const nodes = ['kafka', 'kafka-2', 'kafka-3'].map((name) => compose.services[name]!);
    expect(nodes[0]!.profiles).toBeUndefined();
    expect(nodes[0]!.environment?.KAFKA_CLUSTER_SIZE).toBe('${KAFKA_CLUSTER_SIZE:-1}');
    for (const node of nodes.slice(1)) {
      expect(node.profiles).toEqual(['kafka-cluster']);
      expect(node.image).toBe(nodes[0]!.image);
      expect(node.environment?.KAFKA_CLUSTER_SIZE).toBe(3);
      expect(node.healthcheck).toEqual(nodes[0]!.healthcheck);
    }
    // Each node its id, its advertised name and its own data volume; one cluster id for all.
    expect(nodes.map((node) => node.environment?.KAFKA_NODE_ID)).toEqual([1, 2, 3]);
    expect(nodes.map((node) => node.environment?.KAFKA_ADVERTISED_HOST)).toEqual([
      undefined,
      'kafka-2',
      'kafka-3',
    ]);
    expect(new Set(nodes.map((node) => node.environment?.KAFKA_CLUSTER_ID)).size).toBe(1);
    const dataVolumes = nodes.map((node) =>
      node.volumes?.find((volume) => volume.endsWith(':/var/lib/kafka/data')),
    );
    expect(new Set(dataVolumes).size).toBe(3);
    // broker.sh makes the three of them one quorum, replication factor 3 and min ISR 2.
    const script = readFileSync(resolve(repoRoot, 'infra', 'kafka', 'docker', 'broker.sh'), 'utf8');
    expect(script).toContain(
      'voters="1@kafka:$controller_port,2@kafka-2:$controller_port,3@kafka-3:$controller_port"',
    );
    expect(script).toMatch(/3\)[\s\S]*replication=3\s+min_isr=2/);
    const example = readFileSync(resolve(repoRoot, '.env.example'), 'utf8');
    expect(example).toMatch(/^# COMPOSE_PROFILES=kafka-cluster$/m);
    expect(example).toMatch(/^# KAFKA_CLUSTER_SIZE=3$/m);
  });

  it('is a valid compose file with the .env `npm run secrets:generate` writes (docker compose config)', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    // Every variable compose requires (`${NAME:?…}`) has its line in .env.example, which the script fills.
    const text = readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8');
    const required = new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]!));
    const env = envWithFreshSecrets(readFileSync(resolve(repoRoot, '.env.example'), 'utf8'));
    for (const name of required)
      expect({ name, line: new RegExp(`^${name}=`, 'm').test(env) }).toEqual({ name, line: true });
    if (version.error || version.status !== 0) return; // no compose plugin here: the checks above stand
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'));
    try {
      const envFile = join(dir, '.env');
      // The operator's own values (secrets:generate leaves them to them, as it says).
      writeFileSync(
        envFile,
        env
          .replace(
            /^EVENT_SCHEMA_BASE_URL=$/m,
            'EVENT_SCHEMA_BASE_URL=https://backbone.example.gov.vn/events/',
          )
          .replace(/^SERVICE_CLIENTS=$/m, 'SERVICE_CLIENTS=national-portal:dossier.submit-online'),
      );
      for (const profiles of [[], ['--profile', 'kafka-cluster']]) {
        const config = spawnSync(
          'docker',
          [
            'compose',
            '--env-file',
            envFile,
            ...profiles,
            '-f',
            resolve(repoRoot, 'docker-compose.yml'),
            'config',
            '--quiet',
          ],
          { encoding: 'utf8', cwd: repoRoot },
        );
        expect({ profiles, status: config.status, stderr: config.stderr }).toEqual({
          profiles,
          status: 0,
          stderr: '',
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(serviceFolders.map((name) => [name]))(
    '%s starts in production mode with what compose gives it and the .env secrets:generate writes',
    (name) => {
      const dotEnv = Object.fromEntries(
        envWithFreshSecrets(readFileSync(resolve(repoRoot, '.env.example'), 'utf8'))
          .split('\n')
          .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
          .filter((match): match is RegExpExecArray => match !== null)
          .map((match) => [match[1]!, match[2]!]),
      );
      // The operator's own (secrets:generate leaves them empty): the public URL of the event catalogue
      // and the service clients.
      dotEnv.EVENT_SCHEMA_BASE_URL = 'https://backbone.example.gov.vn/events/';
      dotEnv.SERVICE_CLIENTS = 'national-portal:dossier.submit-online';
      const environment = Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([variable, value]) => [
          variable,
          interpolate(String(value), dotEnv),
        ]),
      );
      expect(environment.NODE_ENV).toBe('production');
      // The service's own check at start: every required variable, production's rules included.
      expect(() => loadConfig(serviceConfigClass(name), environment)).not.toThrow();
    },
  );

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
