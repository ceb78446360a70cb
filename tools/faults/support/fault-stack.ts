import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { AUDIT_EVENTS_TOPIC, EVENT_TOPICS } from '@backbone/contracts';
import { freePort } from '@backbone/testing';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { loadTopicDeclarations } from '../../infra/topics';
import { freshSecrets } from '../../stack/dev-secrets';
import { discoverServices, type ServiceDescriptor } from '../../stack/services';
import { RestartPolicy, ServiceSupervisor } from '../../stack/supervisor';
import type { PostgresInstance } from './postgres-instance';
import { FAULTS_JWT_AUDIENCE, FAULTS_JWT_ISSUER, type SuiteKeys } from './tokens';

export interface FaultStackOptions {
  /** Short name of the scenario (letters, digits, dashes): part of every database, topic and group name. */
  scenario: string;
  postgres: PostgresInstance;
  /** What the services connect to (the proxy in front of the broker, or the cluster's nodes). */
  brokers: string;
  keys: SuiteKeys;
  /** Folder for the service logs, audit checkpoints and the accepted-requests log. */
  workDir: string;
  /** Processes per service (default 1): 2 gives two relays and two consumers of its group. */
  instances?: Record<string, number>;
  /** Extra variables per service name. */
  serviceEnv?: Record<string, Record<string, string>>;
}

export interface ServiceInstance {
  index: number;
  port: number;
  baseUrl: string;
  logFile: string;
  supervisor: ServiceSupervisor;
}

export interface RunningService {
  name: string;
  descriptor: ServiceDescriptor;
  databaseUrl: string;
  /** Its consumer group (and `<group>.dlq`). */
  group: string;
  instances: ServiceInstance[];
  baseUrl: string;
}

/**
 * The real stack for one fault scenario: every service `npm start` discovers
 * (tools/stack/services.ts), each as its own process from its build (`dist/main.js`, as `npm start`
 * runs it) under the same supervisor as `npm start` (a crash is restarted with backoff), on its
 * own port, against a database of its own on the suite's PostgreSQL and topics and consumer groups
 * of its own (by the variables the services read: `<PRODUCER>_EVENTS_TOPIC`,
 * `<SERVICE>_CONSUMER_GROUP`, `<SERVICE>_TOPICS`, as the API fuzz suite sets them).
 */
export class FaultStack {
  readonly services: RunningService[] = [];
  /** Default topic name (`dossier.events.v1`) → this scenario's topic. */
  readonly topics = new Map<string, string>();
  private admin: Admin | undefined;
  private readonly kafka: Kafka;

  private constructor(readonly options: FaultStackOptions) {
    this.kafka = new Kafka({
      clientId: `faults-${options.scenario}`,
      brokers: options.brokers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 8 },
    });
  }

  static async start(options: FaultStackOptions): Promise<FaultStack> {
    const stack = new FaultStack(options);
    try {
      await stack.boot();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  service(name: string): RunningService {
    const service = this.services.find((s) => s.name === name);
    if (!service) throw new Error(`no ${name} service in this stack`);
    return service;
  }

  has(name: string): boolean {
    return this.services.some((s) => s.name === name);
  }

  /** The scenario's event topics (every producer's, the audit checkpoints' too). */
  get eventTopics(): string[] {
    return [...this.topics.values()];
  }

  /** The topics a consumer of everything reads (reporting): every producer's but the audit checkpoints'. */
  get consumedTopics(): string[] {
    return [...this.topics.entries()].filter(([name]) => name !== AUDIT_EVENTS_TOPIC).map(([, t]) => t);
  }

  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  get kafkaClient(): Kafka {
    return this.kafka;
  }

  private async boot(): Promise<void> {
    const { scenario, workDir } = this.options;
    if (!/^[a-z0-9-]{1,30}$/.test(scenario)) throw new Error(`scenario name "${scenario}" is not a slug`);
    mkdirSync(workDir, { recursive: true });
    const suffix = randomBytes(3).toString('hex');
    const slug = `${scenario}-${suffix}`;

    const declared = new Map(loadTopicDeclarations().map((d) => [d.name, d.partitions]));
    const topicEnv: Record<string, string> = {};
    for (const topic of EVENT_TOPICS) {
      const producer = topic.replace(/\.events\.v\d+$/, '');
      const own = `faults.${slug}.${topic}`;
      this.topics.set(topic, own);
      topicEnv[`${envPrefix(producer)}_EVENTS_TOPIC`] = own;
    }
    const admin = await this.kafkaAdmin();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [...this.topics.entries()].map(([name, topic]) => ({
        topic,
        numPartitions: declared.get(name) ?? 3,
        replicationFactor: -1,
      })),
    });

    const secrets = freshSecrets();
    delete secrets.DB_OWNER_PASSWORD;
    delete secrets.DB_APP_PASSWORD;
    const descriptors = discoverServices();
    for (const descriptor of descriptors) {
      if (!existsSync(descriptor.main))
        throw new Error(
          `${descriptor.name}: ${descriptor.main} is missing: build first (npx nx run-many -t build)`,
        );
      const database = `faults_${slug.replace(/-/g, '_')}_${descriptor.database}`.slice(0, 63);
      const databaseUrl = await this.options.postgres.createDatabase(database);
      const group = `faults-${slug}-${descriptor.name}`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...secrets,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: this.options.brokers,
        JWT_ISSUER: FAULTS_JWT_ISSUER,
        JWT_AUDIENCE: FAULTS_JWT_AUDIENCE,
        JWT_PUBLIC_KEY: this.options.keys.publicPem,
        JWT_PUBLIC_KEY_FILE: undefined,
        RATE_LIMIT_MAX: '1000000',
        LOG_LEVEL: 'info',
        AUDIT_CHECKPOINT_DIR: resolve(workDir, 'audit-checkpoints'),
        // Only the load writes during a scenario: the periodic writers (signed audit checkpoints, the
        // services' "quietEnv" schedulers) would add events on their own clock while the oracle reads.
        AUDIT_CHECKPOINT_INTERVAL_MS: '86400000',
        ...descriptor.quietEnv,
        ...topicEnv,
        [`${envPrefix(descriptor.name)}_CONSUMER_GROUP`]: group,
        [`${envPrefix(descriptor.name)}_TOPICS`]: this.consumedTopics.join(','),
        ...this.options.serviceEnv?.[descriptor.name],
      };
      // The fault brokers are PLAINTEXT without authentication, whatever the caller's shell exports.
      for (const variable of [
        'KAFKA_AUTH',
        'KAFKA_SASL_USERNAME',
        'KAFKA_SASL_PASSWORD',
        'KAFKA_SASL_PASSWORD_FILE',
        'KAFKA_SSL',
        'KAFKA_SSL_CA_FILE',
        'KAFKA_SSL_CERT_FILE',
        'KAFKA_SSL_KEY_FILE',
      ])
        delete env[variable];
      const service: RunningService = {
        name: descriptor.name,
        descriptor,
        databaseUrl,
        group,
        instances: [],
        baseUrl: '',
      };
      const count = this.options.instances?.[descriptor.name] ?? 1;
      for (let index = 0; index < count; index += 1) {
        const port = await freePort();
        const logFile = resolve(workDir, `${descriptor.name}-${index + 1}.log`);
        const log = createWriteStream(logFile, { flags: 'a' });
        const supervisor = new ServiceSupervisor(
          `${descriptor.name}#${index + 1}`,
          () => {
            const child = spawn(process.execPath, ['--enable-source-maps', descriptor.main], {
              cwd: descriptor.dir,
              env: { ...env, PORT: String(port) },
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            child.stdout?.pipe(log, { end: false });
            child.stderr?.pipe(log, { end: false });
            return child;
          },
          new RestartPolicy({ initialBackoffMs: 500, maxBackoffMs: 4_000 }),
          {
            started: (pid, restarts) =>
              log.write(
                `### [faults] ${descriptor.name}#${index + 1} started (pid ${pid}, restart ${restarts})\n`,
              ),
            crashed: (exit, decision, restart) =>
              log.write(`### [faults] crashed (${exit}); restart ${restart} in ${decision.delayMs} ms\n`),
          },
        );
        service.instances.push({ index, port, baseUrl: `http://127.0.0.1:${port}`, logFile, supervisor });
      }
      service.baseUrl = service.instances[0]!.baseUrl;
      this.services.push(service);
    }
    // First instances together (each migrates its own database), then the second ones: two
    // processes must not run the same migrations at once.
    const first = this.services.map((s) => s.instances[0]!);
    for (const instance of first) instance.supervisor.start();
    await Promise.all(first.map((instance) => waitHealthy(instance)));
    const others = this.services.flatMap((s) => s.instances.slice(1));
    for (const instance of others) instance.supervisor.start();
    await Promise.all(others.map((instance) => waitHealthy(instance)));
  }

  /** Signals one process of a service (SIGKILL: the supervisor restarts it, as `npm start` does). */
  signal(name: string, signal: NodeJS.Signals, index = 0): number {
    const instance = this.service(name).instances[index];
    const pid = instance?.supervisor.process?.pid;
    if (!pid) throw new Error(`${name}#${index + 1} has no running process`);
    process.kill(pid, signal);
    return pid;
  }

  async waitHealthy(name: string, timeoutMs = bootTimeoutMs()): Promise<void> {
    await Promise.all(this.service(name).instances.map((instance) => waitHealthy(instance, timeoutMs)));
  }

  /** Rows not yet relayed, over every service database. */
  async pendingOutbox(): Promise<number> {
    let pending = 0;
    for (const service of this.services)
      pending += await withClient(service.databaseUrl, async (client) => {
        if (!(await hasTable(client, 'outbox'))) return 0;
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
        );
        return rows[0]!.n;
      });
    return pending;
  }

  /**
   * Records behind per consumer group of the scenario: high watermark − committed offset, over
   * every scenario topic the group committed an offset on (a group that committed nothing on a
   * non-empty topic it reads shows in the inbox check of the oracle instead).
   */
  async consumerLag(): Promise<Record<string, number>> {
    const admin = await this.kafkaAdmin();
    const highs = new Map<string, Map<number, bigint>>();
    for (const topic of this.eventTopics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      highs.set(topic, new Map(offsets.map((o) => [o.partition, BigInt(o.high)])));
    }
    const lag: Record<string, number> = {};
    for (const service of this.services) {
      const committed = await admin.fetchOffsets({ groupId: service.group, topics: this.eventTopics });
      let behind = 0n;
      for (const { topic, partitions } of committed) {
        const anyCommitted = partitions.some((p) => Number(p.offset) >= 0);
        if (!anyCommitted) continue;
        for (const p of partitions) {
          const high = highs.get(topic)?.get(p.partition) ?? 0n;
          const at = Number(p.offset) >= 0 ? BigInt(p.offset) : 0n;
          if (high > at) behind += high - at;
        }
      }
      lag[service.group] = Number(behind);
    }
    return lag;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.services.flatMap((s) =>
        s.instances.map((instance) => instance.supervisor.stop('SIGTERM', 10_000)),
      ),
    );
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}

/** `party-fee` → `PARTY_FEE`: the prefix of a service's or producer's variables. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function hasTable(client: Client, table: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
  return rows[0]?.present === true;
}

async function waitHealthy(instance: ServiceInstance, timeoutMs = bootTimeoutMs()): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${instance.baseUrl}/health/live`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `${instance.supervisor.name} did not answer /health/live on ${instance.port} within ${timeoutMs / 1000} s (log ${instance.logFile})`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** How long a service process may take to answer /health/live (FAULTS_BOOT_TIMEOUT_S, default 300 s: a loaded 2-core machine). */
function bootTimeoutMs(): number {
  const seconds = Number(process.env.FAULTS_BOOT_TIMEOUT_S);
  return (Number.isInteger(seconds) && seconds > 0 ? seconds : 300) * 1000;
}
