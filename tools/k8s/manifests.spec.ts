import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigError, loadConfig } from '@backbone/platform';
import { repoRoot } from '../infra/paths';
import { envWithFreshSecrets } from '../stack/generate-secrets';
import { serviceConfigClass } from '../stack/service-config';
import { K8S_DIR, listFiles, loadDeclarations, renderFiles } from './generate';

const OVERLAYS = ['dev', 'prod', 'prod-scale-on-lag'];
// The files the signing service loads its PKI from (services/signing/src/pki/city-pki.ts), read as
// tools/stack/service-config.ts reads the services' configuration classes.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a service's module, by path
const { PKI_FILES } = require(resolve(repoRoot, 'services', 'signing', 'src', 'pki', 'city-pki.ts')) as {
  PKI_FILES: Record<string, string>;
};

interface Rendered {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

/** `kubectl kustomize` (kustomize v5 built into kubectl) renders an overlay as a real deploy would. */
function render(overlay: string): { text: string; objects: Rendered[] } {
  const result = spawnSync('kubectl', ['kustomize', join(K8S_DIR, 'overlays', overlay)], {
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0)
    throw new Error(`kubectl kustomize ${overlay} failed: ${result.error?.message ?? result.stderr}`);
  const objects = parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as Rendered | null)
    .filter((object): object is Rendered => object !== null);
  return { text: result.stdout, objects };
}

describe('infra/k8s (kustomize base, dev and prod overlays)', () => {
  const declarations = loadDeclarations();

  it('is what `npm run k8s:generate` makes of the services, topics and principals (no drift)', () => {
    const files = renderFiles(declarations);
    expect(listFiles().sort()).toEqual([...files.keys()].sort());
    for (const [file, text] of files)
      expect({ file, text: readFileSync(join(K8S_DIR, file), 'utf8') }).toEqual({ file, text });
  });

  it.each(OVERLAYS)(
    '%s: every object is valid by its API schema (Kubernetes, Strimzi, CloudNativePG, KEDA)',
    (overlay) => {
      const { text } = render(overlay);
      const validation = spawnSync(process.execPath, [resolve(__dirname, 'validate-objects.mjs')], {
        cwd: repoRoot,
        input: text,
        encoding: 'utf8',
      });
      const results = validation.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; name: string; valid: boolean; error?: string });
      expect(results.filter((result) => !result.valid)).toEqual([]);
      expect(validation.status).toBe(0);
      expect(results.length).toBeGreaterThan(20);
    },
  );

  it.each(OVERLAYS)(
    '%s: each service has its deployment with probes, budget, autoscaling, policy, database and Kafka user',
    (overlay) => {
      const { objects } = render(overlay);
      const find = (kind: string, name: string) =>
        objects.find((o) => o.kind === kind && o.metadata.name === name);
      for (const service of declarations.services) {
        const deployment = find('Deployment', service.name) as
          | {
              spec: {
                template: { spec: { containers: Record<string, unknown>[]; initContainers: unknown[] } };
              };
            }
          | undefined;
        expect(deployment).toBeDefined();
        const [container] = deployment!.spec.template.spec.containers;
        expect(container).toMatchObject({
          livenessProbe: { httpGet: { path: '/health/live' } },
          readinessProbe: { httpGet: { path: '/health/ready' } },
          resources: { requests: expect.any(Object), limits: expect.any(Object) },
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
        });
        // Secrets are referenced, never embedded: no value of a secret variable is in the manifests.
        const env = container!.env as { name: string; value?: string; valueFrom?: unknown }[];
        for (const name of ['AUDIT_MAC_KEY', 'PII_KEYS', 'DB_APP_PASSWORD'])
          expect(env.find((variable) => variable.name === name)).toMatchObject({
            valueFrom: { secretKeyRef: expect.any(Object) },
          });
        // The Kafka password is a file from its KafkaUser's Secret, never a value in the manifests.
        expect(env.find((variable) => variable.name === 'KAFKA_SASL_PASSWORD')).toBeUndefined();
        expect(env).toContainEqual({ name: 'KAFKA_SASL_USERNAME', value: service.name });
        expect(env).toContainEqual({
          name: 'KAFKA_SASL_PASSWORD_FILE',
          value: '/etc/backbone/kafka-user/password',
        });
        expect(deployment!.spec.template.spec.initContainers).toHaveLength(1);
        expect(find('Service', service.name)).toBeDefined();
        expect(find('PodDisruptionBudget', service.name)).toBeDefined();
        expect(find('NetworkPolicy', service.name)).toBeDefined();
        expect(find('KafkaUser', service.name)).toBeDefined();
        expect(find('Cluster', `${service.database.replace(/_/g, '-')}-db`)).toBeDefined();
        const scaled = find('HorizontalPodAutoscaler', service.name) ?? find('ScaledObject', service.name);
        expect(scaled).toBeDefined();
      }
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      expect(
        objects
          .filter((o) => o.kind === 'KafkaTopic')
          .map((o) => (o.spec as { topicName: string }).topicName)
          .sort(),
      ).toEqual(declarations.topics.map((topic) => topic.name).sort());
      expect(
        objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny'),
      ).toBeDefined();
    },
  );

  it('prod: Kafka in KRaft node pools with RF 3 and min ISR 2, three PostgreSQL instances per database', () => {
    const { objects } = render('prod');
    const kafka = objects.find((o) => o.kind === 'Kafka') as
      { spec: { kafka: { config: Record<string, number> } } } | undefined;
    expect(kafka?.spec.kafka.config).toMatchObject({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
    });
    const pool = objects.find((o) => o.kind === 'KafkaNodePool') as
      { spec: { replicas: number; roles: string[] } } | undefined;
    expect(pool?.spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    for (const topic of objects.filter((o) => o.kind === 'KafkaTopic'))
      expect(topic.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
    for (const cluster of objects.filter((o) => o.kind === 'Cluster'))
      expect(cluster.spec).toMatchObject({ instances: 3 });
    for (const object of objects)
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('backbone');
  });

  it('KafkaUser ACLs are exactly the ones tools/infra derives for the broker', () => {
    const { objects } = render('prod');
    const reporting = objects.find((o) => o.kind === 'KafkaUser' && o.metadata.name === 'reporting') as
      | { spec: { authorization: { acls: { resource: { name: string }; operations: string[] }[] } } }
      | undefined;
    const principal = declarations.principals.find((p) => p.name === 'reporting')!;
    const reads = reporting!.spec.authorization.acls
      .filter((acl) => acl.operations.includes('Read'))
      .map((acl) => acl.resource.name);
    for (const topic of principal.consumes) expect(reads).toContain(topic);
    const writes = reporting!.spec.authorization.acls.filter((acl) => acl.operations.includes('Write'));
    expect(writes.map((acl) => acl.resource.name).sort()).toEqual(['audit.events.v1', 'reporting.dlq']);
  });

  it('services reach Kafka only over TLS (SASL_SSL), trusting the cluster CA that Strimzi keeps', () => {
    const { objects } = render('prod');
    type Volume = { name: string; secret?: { secretName: string; items: { key: string }[] } };
    type Mount = { name: string; mountPath: string; readOnly?: boolean };
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'backbone-config') as
      { data: Record<string, string> } | undefined;
    expect(config?.data).toMatchObject({
      NODE_ENV: 'production',
      KAFKA_AUTH: 'scram',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/backbone/kafka-ca/ca.crt',
      KAFKA_BROKERS: 'backbone-kafka-kafka-bootstrap:9093',
    });
    expect(config?.data.KAFKA_ALLOW_PLAINTEXT).toBeUndefined();
    const kafka = objects.find((o) => o.kind === 'Kafka') as
      { spec: { kafka: { listeners: Record<string, unknown>[] } } } | undefined;
    expect(kafka?.spec.kafka.listeners).toEqual([
      { name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'scram-sha-512' } },
    ]);
    for (const service of declarations.services) {
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === service.name) as
        | { spec: { template: { spec: { volumes: Volume[]; containers: { volumeMounts: Mount[] }[] } } } }
        | undefined;
      const pod = deployment!.spec.template.spec;
      expect(pod.volumes).toContainEqual(
        expect.objectContaining({
          name: 'kafka-ca',
          secret: expect.objectContaining({
            secretName: 'backbone-kafka-cluster-ca-cert',
            items: [{ key: 'ca.crt', path: 'ca.crt' }],
          }),
        }),
      );
      expect(pod.volumes).toContainEqual(
        expect.objectContaining({
          name: 'kafka-user',
          secret: expect.objectContaining({
            secretName: service.name,
            items: [{ key: 'password', path: 'password' }],
          }),
        }),
      );
      expect(pod.containers[0]!.volumeMounts).toEqual(
        expect.arrayContaining([
          { name: 'kafka-ca', mountPath: '/etc/backbone/kafka-ca', readOnly: true },
          { name: 'kafka-user', mountPath: '/etc/backbone/kafka-user', readOnly: true },
        ]),
      );
      const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === service.name) as
        | {
            spec: {
              egress: {
                to: { podSelector?: { matchLabels: Record<string, string> } }[];
                ports: { port: number }[];
              }[];
            };
          }
        | undefined;
      const toKafka = policy!.spec.egress.find((rule) =>
        rule.to.some((peer) => peer.podSelector?.matchLabels['strimzi.io/cluster'] === 'backbone-kafka'),
      );
      expect(toKafka?.ports).toEqual([{ protocol: 'TCP', port: 9093 }]);
    }
  });

  it('prod-scale-on-lag: KEDA reads the lag over TLS with the cluster CA', () => {
    const { objects } = render('prod-scale-on-lag');
    const auth = objects.find((o) => o.kind === 'TriggerAuthentication') as
      { spec: { secretTargetRef: { parameter: string; name: string; key: string }[] } } | undefined;
    expect(auth?.spec.secretTargetRef).toContainEqual({
      parameter: 'ca',
      name: 'backbone-kafka-cluster-ca-cert',
      key: 'ca.crt',
    });
    for (const scaled of objects.filter((o) => o.kind === 'ScaledObject'))
      for (const trigger of (scaled.spec as { triggers: { metadata: Record<string, string> }[] }).triggers)
        expect(trigger.metadata).toMatchObject({
          tls: 'enable',
          bootstrapServers: 'backbone-kafka-kafka-bootstrap:9093',
        });
  });

  describe.each(['dev', 'prod'])(
    '%s: every service starts in production mode with what its Deployment gives it',
    (overlay) => {
      type EnvVar = {
        name: string;
        value?: string;
        valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
      };
      type Container = {
        name: string;
        env: EnvVar[];
        envFrom?: { configMapRef?: { name: string } }[];
        volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
      };
      type Volume = { name: string; secret?: { secretName: string; items: { key: string; path: string }[] } };
      type Pod = { containers: Container[]; initContainers: Container[]; volumes: Volume[] };
      let objects: Rendered[];
      let files: string;
      // What the operator's Secrets hold: the platform Secret from `npm run secrets:generate` (plus the
      // service clients and the hotline's Open311 keys, theirs to write), CloudNativePG's role passwords.
      const secrets = (() => {
        const platform = Object.fromEntries(
          envWithFreshSecrets(readFileSync(resolve(repoRoot, '.env.example'), 'utf8'))
            .split('\n')
            .map((line) => /^([A-Z][A-Z0-9_]*)=(.+)$/.exec(line))
            .filter((match): match is RegExpExecArray => match !== null)
            .map((match) => [match[1]!, match[2]!]),
        );
        platform.SERVICE_CLIENTS = 'national-portal:dossier.submit-online';
        return (name: string, key: string): string | undefined =>
          name === 'backbone-platform-secrets'
            ? platform[key]
            : key === 'password'
              ? randomBytes(18).toString('base64url')
              : undefined;
      })();

      beforeAll(() => {
        objects = render(overlay).objects;
        // The mounted Secrets as files: the cluster CA (a real certificate: the service parses it), the
        // rest random text.
        files = mkdtempSync(join(tmpdir(), 'k8s-env-'));
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=backbone-kafka cluster CA',
            '-keyout',
            join(files, 'ca.key'),
            '-out',
            join(files, 'ca.crt'),
          ],
          { stdio: 'ignore' },
        );
      });
      afterAll(() => rmSync(files, { recursive: true, force: true }));

      const pod = (name: string) =>
        (
          objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as {
            spec: { template: { spec: Pod } };
          }
        ).spec.template.spec;

      /** The container's environment as the kubelet builds it, its mounted Secrets written under `files`. */
      function environment(container: Container, volumes: Volume[]): Record<string, string> {
        const env: Record<string, string> = {};
        for (const source of container.envFrom ?? []) {
          const map = objects.find(
            (o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef?.name,
          ) as { data: Record<string, string> } | undefined;
          expect({ configMap: source.configMapRef?.name, found: map !== undefined }).toEqual({
            configMap: source.configMapRef?.name,
            found: true,
          });
          Object.assign(env, map!.data);
        }
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) {
            const value = secrets(ref.name, ref.key);
            if (value === undefined && ref.optional) continue;
            expect({
              variable: variable.name,
              secret: ref.name,
              key: ref.key,
              known: value !== undefined,
            }).toEqual({
              variable: variable.name,
              secret: ref.name,
              key: ref.key,
              known: true,
            });
            env[variable.name] = value!;
          } else
            env[variable.name] = (variable.value ?? '').replace(
              /\$\(([A-Z0-9_]+)\)/g,
              (_m, name: string) => env[name] ?? '',
            );
        }
        // Paths into mounted Secrets → the same files here.
        for (const mount of container.volumeMounts ?? []) {
          const volume = volumes.find((candidate) => candidate.name === mount.name);
          if (!volume?.secret) continue;
          const dir = join(files, mount.name);
          mkdirSync(dir, { recursive: true });
          for (const item of volume.secret.items)
            writeFileSync(
              join(dir, item.path),
              item.key === 'ca.crt'
                ? readFileSync(join(files, 'ca.crt'))
                : randomBytes(18).toString('base64url'),
            );
          for (const [name, value] of Object.entries(env))
            if (value === mount.mountPath || value.startsWith(`${mount.mountPath}/`))
              env[name] = join(dir, value.slice(mount.mountPath.length + 1));
        }
        return env;
      }

      const problems = (service: string, env: Record<string, string>) => {
        try {
          loadConfig(serviceConfigClass(service), env);
          return [];
        } catch (error) {
          if (error instanceof ConfigError) return error.problems;
          throw error;
        }
      };

      it.each(declarations.services.map((service) => [service.name]))(
        '%s: its own configuration check passes (every variable it requires in production is set)',
        (name) => {
          const { containers, volumes } = pod(name);
          const env = environment(containers[0]!, volumes);
          expect(env.NODE_ENV).toBe('production');
          expect(problems(name, env)).toEqual([]);
          // Set although optional: without it /metrics answers 404 in production, and Prometheus sees nothing.
          expect(env.METRICS_TOKEN).toBeDefined();
          // Nothing in production points at a placeholder or this machine.
          if (overlay === 'prod')
            for (const [variable, value] of Object.entries(env))
              expect({ variable, value }).toEqual({
                variable,
                value: expect.not.stringMatching(/example\.invalid|127\.0\.0\.1|localhost/),
              });
        },
      );

      it.each(declarations.services.map((service) => [service.name]))(
        '%s: its migrations run as the owner role, its writes go to volumes (read-only root filesystem)',
        (name) => {
          const { containers, initContainers, volumes } = pod(name);
          const migrate = environment(initContainers[0]!, volumes);
          const database = declarations.services.find((service) => service.name === name)!.database;
          expect(new URL(migrate.DATABASE_MIGRATION_URL!).username).toBe(`${database}_owner`);
          expect(new URL(migrate.DATABASE_URL!).username).toBe(`${database}_app`);
          const env = environment(containers[0]!, volumes);
          const mounted = (containers[0]!.volumeMounts ?? []).map((mount) => mount.mountPath);
          expect(mounted).toContain(env.AUDIT_CHECKPOINT_DIR);
          expect(mounted).toContain('/tmp');
          if (name === 'signing') {
            // Production refuses to start without the city PKI: a read-only Secret at SIGNING_PKI_DIR, holding
            // what the service loads (the root's private key stays offline, out of the cluster).
            const mount = containers[0]!.volumeMounts!.find((m) =>
              env.SIGNING_PKI_DIR!.startsWith(join(files, m.name)),
            );
            expect(mount?.readOnly).toBe(true);
            const items = volumes
              .find((volume) => volume.name === mount!.name)!
              .secret!.items.map((item) => item.path);
            expect(items.sort()).toEqual(
              Object.values(PKI_FILES)
                .filter((file) => file !== PKI_FILES.rootKey)
                .sort(),
            );
          }
        },
      );

      it('reporting: PIPELINE_SERVICES names every service at its Service, which its NetworkPolicy lets it reach', () => {
        const { containers, volumes } = pod('reporting');
        const env = environment(containers[0]!, volumes);
        const pipeline = Object.fromEntries(
          env.PIPELINE_SERVICES!.split(',').map((entry) => entry.split('=')),
        );
        expect(pipeline).toEqual(
          Object.fromEntries(
            declarations.services.map((service) => [service.name, `http://${service.name}:${service.port}`]),
          ),
        );
        expect(env.DASHBOARD_OIDC_INTERNAL_URL).toMatch(/^https?:\/\//);
        type Rule = {
          to?: { podSelector?: { matchLabels: Record<string, string> } }[];
          ports?: { port: number }[];
        };
        const egress = (name: string) =>
          (
            objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name)!.spec as {
              egress: Rule[];
            }
          ).egress;
        const reaches = (from: string, to: string, port: number) =>
          egress(from).some(
            (rule) =>
              rule.to?.some((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name'] === to) &&
              rule.ports?.some((p) => p.port === port),
          );
        for (const service of declarations.services.filter((s) => s.name !== 'reporting')) {
          expect({ to: service.name, reached: reaches('reporting', service.name, service.port) }).toEqual({
            to: service.name,
            reached: true,
          });
          // The others call no service's API: each reaches its database, Kafka, the identity provider, DNS.
          for (const other of declarations.services.filter((s) => s.name !== service.name))
            expect({
              from: service.name,
              to: other.name,
              reached: reaches(service.name, other.name, other.port),
            }).toEqual({ from: service.name, to: other.name, reached: false });
        }
      });

      it('runs Alertmanager on the committed configuration, with the city destinations from an optional Secret', () => {
        const alertmanager = objects.find(
          (o) => o.kind === 'Deployment' && o.metadata.name === 'alertmanager',
        ) as unknown as
          | {
              spec: {
                replicas: number;
                template: { spec: { containers: { args: string[]; envFrom: unknown[] }[] } };
              };
            }
          | undefined;
        expect(alertmanager?.spec.replicas).toBe(1);
        const [container] = alertmanager!.spec.template.spec.containers;
        expect(container!.args.join(' ')).toContain('render-config.sh');
        expect(container!.envFrom).toEqual([{ secretRef: { name: 'backbone-alerting', optional: true } }]);
        const config = objects.find(
          (o) => o.kind === 'ConfigMap' && o.metadata.name === 'alertmanager-config',
        ) as unknown as {
          data: Record<string, string>;
        };
        const dir = resolve(repoRoot, 'infra', 'monitoring', 'alertmanager');
        expect(config.data['alertmanager.yml']).toBe(readFileSync(join(dir, 'alertmanager.yml'), 'utf8'));
        expect(config.data['render-config.sh']).toBe(readFileSync(join(dir, 'render-config.sh'), 'utf8'));
        expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'alertmanager')).toBeDefined();
        expect(
          objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager'),
        ).toBeDefined();
      });
    },
  );
});
