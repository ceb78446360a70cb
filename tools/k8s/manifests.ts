import { deadLetterTopic, type PrincipalDeclaration, aclsFor } from '../infra/kafka-acls';
import type { TopicDeclaration } from '../infra/topics';
import type { ServiceDescriptor } from '../stack/services';

/**
 * The Kubernetes deployment of the backbone (infra/k8s), built from the same declarations that
 * `npm start` and docker compose use: the services' `backbone` entries (port, database), the
 * topics (infra/kafka/topics.json) and the principals (infra/kafka/principals.json). A new service
 * therefore gets its Deployment, database cluster, Kafka user and network policy by regenerating
 * (`npm run k8s:generate`); the test fails when the committed files drift from these declarations.
 *
 * Operators assumed in the cluster: Strimzi (Kafka in KRaft mode, topics and SCRAM users with ACLs)
 * and CloudNativePG (one PostgreSQL cluster per service database). Optional: KEDA (scaling on
 * consumer lag, documented in docs/operations.md; the base scales on CPU with a plain HPA).
 */

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string } & Record<string, unknown>;
} & Record<string, unknown>;

export const PART_OF = 'two-tier-backbone';
export const KAFKA_CLUSTER = 'backbone-kafka';
/**
 * The Strimzi listener the services use: SCRAM-SHA-512 inside TLS (SASL_SSL; ADR 0010, 0014), on
 * Strimzi's customary TLS port. The brokers' certificates come from the cluster CA that Strimzi keeps
 * in the Secret `<cluster>-cluster-ca-cert` (key `ca.crt`), which every service mounts.
 */
export const KAFKA_PORT = 9093;
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap:${KAFKA_PORT}`;
export const KAFKA_CLUSTER_CA_SECRET = `${KAFKA_CLUSTER}-cluster-ca-cert`;
/** Where a service finds the cluster CA and its KafkaUser's password (read-only Secret volumes). */
export const KAFKA_CA_DIR = '/etc/backbone/kafka-ca';
export const KAFKA_USER_DIR = '/etc/backbone/kafka-user';
export const OIDC_LABEL = { 'app.kubernetes.io/name': 'oidc-provider' };

/** Secrets every service reads (created by the operator from `npm run secrets:generate`, never committed). */
export const PLATFORM_SECRET = 'backbone-platform-secrets';
const PLATFORM_SECRET_KEYS = [
  'PII_KEYS',
  'PII_ACTIVE_KEY_ID',
  'BLIND_INDEX_KEY',
  'PSEUDONYM_KEY',
  'SERVICE_CLIENTS',
  'AUDIT_MAC_KEY',
  // Prometheus sends it to every /metrics (production answers 404 there without it).
  'METRICS_TOKEN',
] as const;

/**
 * What a service reads from the platform Secret besides PLATFORM_SECRET_KEYS (its own keys; the same
 * Secret, written from `npm run secrets:generate`). `optional`: the service starts without it.
 */
const SERVICE_SECRET_KEYS: Record<string, { key: string; optional?: boolean }[]> = {
  // The national portal's payment-callback key: production refuses the development one.
  'party-fee': [{ key: 'PORTAL_CALLBACK_KEY' }],
  // Open311 POST keys of the channels (web, zalo, email, ihanoi); unset, Open311 POST refuses every key.
  hotline: [{ key: 'OPEN311_API_KEYS', optional: true }],
};

/** The city PKI (root, issuing CA, TSA) of the signing service: a Secret made from `npm run pki:init`'s folder. */
export const SIGNING_PKI_SECRET = 'signing-pki';
export const SIGNING_PKI_DIR = '/var/lib/backbone/signing-pki';
const SIGNING_PKI_FILES = [
  'root-ca.crt.pem',
  'issuing-ca.crt.pem',
  'issuing-ca.key.pem',
  'tsa.crt.pem',
  'tsa.key.pem',
];

const labels = (name: string, component: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': PART_OF,
});

/** The CloudNativePG cluster of a service database (`<db>-db`): its `-rw` Service is the primary. */
const databaseCluster = (service: ServiceDescriptor) => `${service.database.replace(/_/g, '-')}-db`;
const ownerSecret = (service: ServiceDescriptor) => `${databaseCluster(service)}-owner`;
const appSecret = (service: ServiceDescriptor) => `${databaseCluster(service)}-app-role`;

export function platformConfigMap(): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'backbone-config', labels: labels('backbone-config', 'config') },
    data: {
      NODE_ENV: 'production',
      KAFKA_BROKERS: KAFKA_BOOTSTRAP,
      KAFKA_AUTH: 'scram',
      // Production refuses Kafka without TLS: the SCRAM exchange and the events are encrypted.
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: `${KAFKA_CA_DIR}/ca.crt`,
      LOG_LEVEL: 'info',
      // The city's identity provider (Keycloak or the national one): overlays set the real URLs.
      JWKS_URL: 'https://sso.example.invalid/realms/hanoi/protocol/openid-connect/certs',
      JWT_ISSUER: 'https://sso.example.invalid/realms/hanoi',
      JWT_AUDIENCE: 'two-tier-backbone',
      JWT_ALGORITHMS: 'RS256,ES256',
      AUDIT_CHECKPOINT_DIR: '/var/lib/backbone/audit-checkpoints',
      // Required in production: the public URL of the event catalogue (reporting's /events/, ADR 0013).
      EVENT_SCHEMA_BASE_URL: 'https://backbone.example.invalid/events/',
      // reporting's dashboard sign-in: where the service reaches the provider (overlays: the real one).
      DASHBOARD_OIDC_INTERNAL_URL: 'https://sso.example.invalid/realms/hanoi',
      // signing: the address in its certificates' CRL distribution points (not a loopback one).
      SIGNING_PUBLIC_BASE_URL: 'https://signing.example.invalid',
      SIGNING_PKI_DIR,
    },
  };
}

function serviceEnv(service: ServiceDescriptor, role: 'service' | 'migrate', services: ServiceDescriptor[]) {
  const cluster = databaseCluster(service);
  const host = `${cluster}-rw`;
  const secretValue = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
  const roles = { owner: `${service.database}_owner`, app: `${service.database}_app` };
  const env: Record<string, unknown>[] = [
    { name: 'PORT', value: String(service.port) },
    { name: 'DB_OWNER_PASSWORD', ...secretValue(ownerSecret(service), 'password') },
    { name: 'DB_APP_PASSWORD', ...secretValue(appSecret(service), 'password') },
    {
      name: 'DATABASE_URL',
      value: `postgres://${roles.app}:$(DB_APP_PASSWORD)@${host}:5432/${service.database}?sslmode=require`,
    },
    ...PLATFORM_SECRET_KEYS.map((key) => ({ name: key, ...secretValue(PLATFORM_SECRET, key) })),
    ...(SERVICE_SECRET_KEYS[service.name] ?? []).map(({ key, optional }) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: PLATFORM_SECRET, key, ...(optional ? { optional: true } : {}) } },
    })),
  ];
  // reporting's pipeline view: every service's health, outbox, lag and dead letters, at its Service.
  if (service.name === 'reporting' && role === 'service')
    env.push({ name: 'PIPELINE_SERVICES', value: pipelineServices(services) });
  if (role === 'service')
    env.push(
      { name: 'KAFKA_SASL_USERNAME', value: service.name },
      // Strimzi's User Operator writes the SCRAM password into a Secret named like the KafkaUser;
      // mounted as a file (volume kafka-user), it stays out of the process environment.
      { name: 'KAFKA_SASL_PASSWORD_FILE', value: `${KAFKA_USER_DIR}/password` },
    );
  if (role === 'migrate')
    env.push({
      name: 'DATABASE_MIGRATION_URL',
      value: `postgres://${roles.owner}:$(DB_OWNER_PASSWORD)@${host}:5432/${service.database}?sslmode=require`,
    });
  return env;
}

/** `name=http://name:port,…`: each service at its Kubernetes Service (PIPELINE_SERVICES). */
export function pipelineServices(services: ServiceDescriptor[]): string {
  return services.map((other) => `${other.name}=http://${other.name}:${other.port}`).join(',');
}

export function serviceDeployment(
  service: ServiceDescriptor,
  services: ServiceDescriptor[] = [service],
): K8sObject {
  const name = service.name;
  const image = `two-tier-backbone/${name}`;
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: 1000,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: labels(name, 'service') },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(name, 'service') },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          // Migrations run as the owner role before the service starts (they also grant the app
          // role its row access); a failing migration keeps the old pods serving.
          initContainers: [
            {
              name: 'migrate',
              image,
              command: ['node', 'dist/migrate.js'],
              envFrom: [{ configMapRef: { name: 'backbone-config' } }],
              env: serviceEnv(service, 'migrate', services),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext,
            },
          ],
          containers: [
            {
              name,
              image,
              command: ['node', '--enable-source-maps', 'dist/main.js'],
              ports: [{ name: 'http', containerPort: service.port }],
              envFrom: [{ configMapRef: { name: 'backbone-config' } }],
              env: serviceEnv(service, 'service', services),
              // Liveness: the process answers (a restart fixes nothing a dependency breaks);
              // readiness: its database and broker answer (traffic stops, the pod stays).
              startupProbe: probe('/health/live', 5, 24),
              livenessProbe: probe('/health/live', 10, 3),
              readinessProbe: probe('/health/ready', 5, 3),
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              securityContext,
              volumeMounts: [
                { name: 'audit-checkpoints', mountPath: '/var/lib/backbone/audit-checkpoints' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'kafka-ca', mountPath: KAFKA_CA_DIR, readOnly: true },
                { name: 'kafka-user', mountPath: KAFKA_USER_DIR, readOnly: true },
                ...(name === 'signing'
                  ? [{ name: 'signing-pki', mountPath: SIGNING_PKI_DIR, readOnly: true }]
                  : []),
              ],
            },
          ],
          // Signed audit checkpoints are also published on audit.events.v1; the local file is a
          // second copy (docs/operations.md: back it up or mount a shared volume in prod).
          volumes: [
            { name: 'audit-checkpoints', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            // The cluster CA (Strimzi renews it; both certificates are in ca.crt during a renewal).
            {
              name: 'kafka-ca',
              secret: {
                secretName: KAFKA_CLUSTER_CA_SECRET,
                items: [{ key: 'ca.crt', path: 'ca.crt' }],
                defaultMode: 0o440,
              },
            },
            {
              name: 'kafka-user',
              secret: {
                secretName: name,
                items: [{ key: 'password', path: 'password' }],
                defaultMode: 0o440,
              },
            },
            // Production refuses to start without the city PKI (a fresh root would invalidate every
            // relying party's trust): the operator makes this Secret from `npm run pki:init`'s files.
            ...(name === 'signing'
              ? [
                  {
                    name: 'signing-pki',
                    secret: {
                      secretName: SIGNING_PKI_SECRET,
                      items: SIGNING_PKI_FILES.map((file) => ({ key: file, path: file })),
                      defaultMode: 0o440,
                    },
                  },
                ]
              : []),
          ],
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
            },
          ],
        },
      },
    },
  };
}

export function serviceService(service: ServiceDescriptor): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, labels: labels(service.name, 'service') },
    spec: {
      selector: { 'app.kubernetes.io/name': service.name },
      ports: [{ name: 'http', port: service.port, targetPort: 'http' }],
    },
  };
}

export function serviceDisruptionBudget(service: ServiceDescriptor): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, labels: labels(service.name, 'service') },
    spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': service.name } } },
  };
}

export function serviceAutoscaler(service: ServiceDescriptor): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: service.name, labels: labels(service.name, 'service') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas: 2,
      // More consumers than partitions would idle: 6 is the smallest events topic's partitions.
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
}

/**
 * Each service reaches only its own database, the brokers, the identity provider and DNS (reporting
 * also the other services' APIs); it is reached on its HTTP port (ingress controller, reporting's
 * pipeline view, Prometheus).
 */
export function serviceNetworkPolicy(
  service: ServiceDescriptor,
  services: ServiceDescriptor[] = [service],
): K8sObject {
  const pods = (matchLabels: Record<string, string>) => ({ podSelector: { matchLabels } });
  // Only reporting calls other services (PIPELINE_SERVICES: health, outbox, lag, dead letters); the
  // others talk to each other through Kafka alone.
  const otherApis =
    service.name === 'reporting'
      ? services
          .filter((other) => other.name !== service.name)
          .map((other) => ({
            to: [pods({ 'app.kubernetes.io/name': other.name })],
            ports: [{ protocol: 'TCP', port: other.port }],
          }))
      : [];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: service.name, labels: labels(service.name, 'service') },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: service.port }] }],
      egress: [
        {
          to: [pods({ 'cnpg.io/cluster': databaseCluster(service) })],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
        {
          to: [pods({ 'strimzi.io/cluster': KAFKA_CLUSTER })],
          ports: [{ protocol: 'TCP', port: KAFKA_PORT }],
        },
        // The identity provider's key set (and, for reporting, the dashboard's code exchange): a pod
        // labelled oidc-provider in any namespace; the prod overlay adds the city SSO's address.
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: OIDC_LABEL } }],
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 8080 },
          ],
        },
        ...otherApis,
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  };
}

/** Nothing in the namespace talks to anything unless a policy above allows it. */
export function defaultDenyPolicy(): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', labels: labels('default-deny', 'network') },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** One CloudNativePG cluster per service database: owner and app roles as the stack creates them. */
export function serviceDatabase(service: ServiceDescriptor): K8sObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: databaseCluster(service), labels: labels(databaseCluster(service), 'database') },
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6',
      storage: { size: '20Gi' },
      // The owner runs migrations (DDL); the service connects as the app role (rows only).
      bootstrap: {
        initdb: {
          database: service.database,
          owner: `${service.database}_owner`,
          secret: { name: ownerSecret(service) },
        },
      },
      managed: {
        roles: [
          {
            name: `${service.database}_app`,
            ensure: 'present',
            login: true,
            passwordSecret: { name: appSecret(service) },
          },
        ],
      },
      postgresql: { parameters: { max_connections: '200', shared_buffers: '256MB' } },
      monitoring: { enablePodMonitor: true },
    },
  };
}

export function kafkaNodePool(): K8sObject {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaNodePool',
    metadata: {
      name: 'dual-role',
      labels: { ...labels('kafka', 'broker'), 'strimzi.io/cluster': KAFKA_CLUSTER },
    },
    spec: {
      replicas: 3,
      // Each node is controller and broker (KRaft), as the local three-node cluster is.
      roles: ['controller', 'broker'],
      storage: {
        type: 'jbod',
        volumes: [
          { id: 0, type: 'persistent-claim', size: '100Gi', deleteClaim: false, kraftMetadata: 'shared' },
        ],
      },
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } },
    },
  };
}

export function kafkaCluster(): K8sObject {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'Kafka',
    metadata: { name: KAFKA_CLUSTER, labels: labels('kafka', 'broker') },
    spec: {
      kafka: {
        version: '4.1.1',
        listeners: [
          {
            name: 'tls',
            port: KAFKA_PORT,
            type: 'internal',
            tls: true,
            authentication: { type: 'scram-sha-512' },
          },
        ],
        authorization: { type: 'simple' },
        config: {
          'default.replication.factor': 3,
          'min.insync.replicas': 2,
          'offsets.topic.replication.factor': 3,
          'transaction.state.log.replication.factor': 3,
          'transaction.state.log.min.isr': 2,
          'auto.create.topics.enable': false,
        },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
    },
  };
}

export function kafkaTopic(topic: TopicDeclaration): K8sObject {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      name: topic.name.replace(/\./g, '-'),
      labels: { ...labels('kafka', 'topic'), 'strimzi.io/cluster': KAFKA_CLUSTER },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: 3,
      config: {
        'retention.ms': topic.retentionMs,
        'cleanup.policy': topic.cleanupPolicy,
        'min.insync.replicas': 2,
      },
    },
  };
}

/** A service's SCRAM user with exactly the ACLs tools/infra/kafka-acls.ts derives for it. */
export function kafkaUser(principal: PrincipalDeclaration): K8sObject {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: {
      name: principal.name,
      labels: { ...labels(principal.name, 'kafka-user'), 'strimzi.io/cluster': KAFKA_CLUSTER },
    },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: {
        type: 'simple',
        acls: aclsFor(principal).map((rule) => ({
          resource: {
            type: rule.resourceType === 'TOPIC' ? 'topic' : 'group',
            name: rule.resourceName,
            patternType: rule.patternType === 'LITERAL' ? 'literal' : 'prefix',
          },
          // Kafka implies Describe with Read and Write, as the broker-side ACLs of tools/infra do.
          operations: [rule.operation === 'READ' ? 'Read' : rule.operation === 'WRITE' ? 'Write' : 'Delete'],
        })),
      },
    },
  };
}

/**
 * Optional (kustomize component `components/scale-on-lag`, needs KEDA): a consuming service scales on
 * its consumer group's lag instead of CPU. KEDA's Kafka scaler reads the lag with the service's own
 * SCRAM user; its HPA replaces the plain one (deleted by the component).
 */
export function lagScaledObject(principal: PrincipalDeclaration): K8sObject[] {
  const name = principal.name;
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: `${name}-kafka`, labels: labels(name, 'autoscaling') },
      spec: {
        // The user name is the principal's (not a secret: platform ConfigMap); its password is
        // the Secret Strimzi's User Operator wrote for the KafkaUser; the CA is the cluster CA.
        configMapTargetRef: [{ parameter: 'username', name: 'backbone-kafka-principals', key: name }],
        secretTargetRef: [
          { parameter: 'password', name, key: 'password' },
          { parameter: 'ca', name: KAFKA_CLUSTER_CA_SECRET, key: 'ca.crt' },
        ],
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, labels: labels(name, 'autoscaling') },
      spec: {
        scaleTargetRef: { name },
        minReplicaCount: 2,
        // Never more consumers than partitions of the topics it reads.
        maxReplicaCount: 6,
        triggers: principal.consumes.map((topic) => ({
          type: 'kafka',
          metadata: {
            bootstrapServers: KAFKA_BOOTSTRAP,
            consumerGroup: name,
            topic,
            lagThreshold: '1000',
            sasl: 'scram_sha512',
            tls: 'enable',
          },
          authenticationRef: { name: `${name}-kafka` },
        })),
      },
    },
  ];
}

/** The principals' user names, for KEDA's scaler (component scale-on-lag). */
export function principalNamesConfigMap(principals: PrincipalDeclaration[]): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'backbone-kafka-principals', labels: labels('backbone-kafka-principals', 'config') },
    data: Object.fromEntries(principals.map((principal) => [principal.name, principal.name])),
  };
}

export interface Declarations {
  services: ServiceDescriptor[];
  topics: TopicDeclaration[];
  principals: PrincipalDeclaration[];
  /** infra/monitoring/alertmanager: the configuration template and the script that renders it. */
  alertmanager: { config: string; renderScript: string };
}

export const ALERTMANAGER_IMAGE = 'prom/alertmanager:v0.28.1';
/** The city's notification destinations (ALERT_* of infra/monitoring/README.md): a Secret, optional. */
export const ALERTING_SECRET = 'backbone-alerting';

/**
 * Alertmanager, as docker compose runs it: render-config.sh writes the configuration from the
 * committed template and the city's ALERT_* variables (from the Secret backbone-alerting; none set:
 * alerts are routed and shown, sent nowhere), then Alertmanager starts on it. One replica: several
 * would need their gossip cluster (`--cluster.peer`) not to notify twice. The city's Prometheus
 * (labelled app.kubernetes.io/name=prometheus, any namespace) sends it alerts on 9093.
 */
export function alertmanagerObjects(files: Declarations['alertmanager']): K8sObject[] {
  const name = 'alertmanager';
  const selector = { 'app.kubernetes.io/name': name };
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: 65534,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  const probe = (path: string) => ({
    httpGet: { path, port: 'http' },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold: 3,
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'alertmanager-config', labels: labels(name, 'monitoring') },
      data: { 'alertmanager.yml': files.config, 'render-config.sh': files.renderScript },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: labels(name, 'monitoring') },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: labels(name, 'monitoring') },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name,
                image: ALERTMANAGER_IMAGE,
                command: ['/bin/sh', '-c'],
                args: [
                  'sh /etc/alertmanager/render-config.sh /etc/alertmanager/alertmanager.yml /run/alertmanager/alertmanager.yml' +
                    ' && exec /bin/alertmanager --config.file=/run/alertmanager/alertmanager.yml --storage.path=/alertmanager',
                ],
                envFrom: [{ secretRef: { name: ALERTING_SECRET, optional: true } }],
                ports: [{ name: 'http', containerPort: 9093 }],
                livenessProbe: probe('/-/healthy'),
                readinessProbe: probe('/-/ready'),
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                securityContext,
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
                  { name: 'rendered', mountPath: '/run/alertmanager' },
                  { name: 'data', mountPath: '/alertmanager' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: 'alertmanager-config' } },
              // The rendered configuration holds the SMTP password: memory only, never a disk.
              { name: 'rendered', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              // Silences and the notification log; lost on a restart (they are re-sent, not lost).
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: labels(name, 'monitoring') },
      spec: { selector, ports: [{ name: 'http', port: 9093, targetPort: 'http' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, labels: labels(name, 'monitoring') },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: 9093 }],
          },
        ],
        // The city's mail server and webhook, wherever they are; DNS.
        egress: [
          {
            ports: [
              { protocol: 'TCP', port: 25 },
              { protocol: 'TCP', port: 465 },
              { protocol: 'TCP', port: 587 },
              { protocol: 'TCP', port: 443 },
            ],
          },
          {
            to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ];
}

/** The base: every object, by file (relative to infra/k8s/base). */
export function baseFiles(declarations: Declarations): Map<string, K8sObject[]> {
  const files = new Map<string, K8sObject[]>();
  files.set('platform.yaml', [platformConfigMap(), defaultDenyPolicy()]);
  files.set('monitoring/alertmanager.yaml', alertmanagerObjects(declarations.alertmanager));
  files.set('kafka/cluster.yaml', [kafkaCluster(), kafkaNodePool()]);
  files.set('kafka/topics.yaml', declarations.topics.map(kafkaTopic));
  files.set('kafka/users.yaml', declarations.principals.map(kafkaUser));
  for (const service of declarations.services) {
    files.set(`${service.name}/service.yaml`, [
      serviceDeployment(service, declarations.services),
      serviceService(service),
      serviceDisruptionBudget(service),
      serviceAutoscaler(service),
      serviceNetworkPolicy(service, declarations.services),
    ]);
    files.set(`${service.name}/database.yaml`, [serviceDatabase(service)]);
  }
  return files;
}

/** Principals and services must agree: every service has a principal (its Kafka user). */
export function checkDeclarations(declarations: Declarations): void {
  const principals = new Set(declarations.principals.map((principal) => principal.name));
  const topics = new Set(declarations.topics.map((topic) => topic.name));
  for (const service of declarations.services) {
    if (!principals.has(service.name))
      throw new Error(`services/${service.name} has no principal in infra/kafka/principals.json`);
    if (!topics.has(deadLetterTopic(service.name)))
      throw new Error(`services/${service.name}: its dead-letter topic is not in infra/kafka/topics.json`);
  }
}
