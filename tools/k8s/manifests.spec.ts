import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../infra/paths';
import { K8S_DIR, listFiles, loadDeclarations, renderFiles } from './generate';

const OVERLAYS = ['dev', 'prod', 'prod-scale-on-lag'];

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
});
