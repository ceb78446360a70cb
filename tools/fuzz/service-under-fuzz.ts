import { generateKeyPairSync, sign } from 'node:crypto';
import { resolve } from 'node:path';
import { AUDIT_EVENTS_TOPIC, EVENT_TOPICS } from '@backbone/contracts';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  startServiceProcess,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  testKafkaBrokers,
  uniqueName,
} from '@backbone/testing';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { ServiceDescriptor } from '../stack/services';

/**
 * One discovered service, started from its sources as its own process (libs/testing's
 * startServiceProcess) against a fresh test database and topics of its own. Configuration by
 * convention, so a new service needs nothing here: every `<producer>.events.v1` topic is redirected through
 * `<PRODUCER>_EVENTS_TOPIC`, and `<SERVICE>_CONSUMER_GROUP` / `<SERVICE>_TOPICS` get unique values;
 * the package.json's "backbone.quietEnv" turns its schedulers off.
 */
export interface ServiceUnderFuzz {
  name: string;
  baseUrl: string;
  /** The service's own database: its tables are what a refused request must leave alone. */
  databaseUrl: string;
  topics: string[];
  bodyLimitBytes: number;
  signToken(roles: string[], units: string[]): string;
  output(): string;
  stop(): Promise<void>;
}

export const FUZZ_BODY_LIMIT_BYTES = 1_048_576;

/**
 * `dependencyEnv`: where the services' outside dependencies are (the sign-in provider), so that a
 * request reaching one is answered by it as in production rather than by a 503 for its absence.
 */
export async function startServiceUnderFuzz(
  service: ServiceDescriptor,
  dependencyEnv: Record<string, string> = {},
): Promise<ServiceUnderFuzz> {
  const database = await createTestDatabase(`fuzz_${service.name}`);
  const prefix = service.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const topicEnv: Record<string, string> = {};
  const topics: string[] = [];
  const consumed: string[] = [];
  for (const topic of EVENT_TOPICS) {
    const producer = topic.replace(/\.events\.v\d+$/, '');
    const unique = uniqueName(`fuzz_${service.name}_${producer}`);
    topicEnv[`${producer.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_EVENTS_TOPIC`] = unique;
    topics.push(unique);
    if (topic !== AUDIT_EVENTS_TOPIC) consumed.push(unique);
  }
  await createTestTopics(topics.map((topic) => ({ topic, numPartitions: 1 })));

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const running = await startServiceProcess({
    name: service.name,
    entry: resolve(service.dir, 'src/main.ts'),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      RATE_LIMIT_MAX: '1000000',
      BODY_LIMIT_BYTES: String(FUZZ_BODY_LIMIT_BYTES),
      // The fuzzer reads the routes from /docs/openapi.json.
      SWAGGER_ENABLED: 'true',
      ...topicEnv,
      [`${prefix}_CONSUMER_GROUP`]: uniqueName(`fuzz_${service.name}`),
      // A consumer reads every producer's topic but the audit checkpoints' (no service consumes those).
      [`${prefix}_TOPICS`]: consumed.join(','),
      // The periodic signed checkpoint writes an outbox row on its own clock: not during the run, or it
      // would read as a write by whichever refused request it fell beside.
      AUDIT_CHECKPOINT_INTERVAL_MS: '86400000',
      ...dependencyEnv,
      ...service.quietEnv,
    },
    afterStop: () => database.drop(),
  });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    name: service.name,
    baseUrl: running.baseUrl,
    databaseUrl: database.url,
    topics,
    bodyLimitBytes: FUZZ_BODY_LIMIT_BYTES,
    signToken: (roles, units) => signToken(privatePem, roles, units),
    output: running.output,
    stop: running.stop,
  };
}

/** An ES256 JWT signed with node:crypto (jose is ESM-only, which jest here cannot load). */
function signToken(privatePem: string, roles: string[], units: string[]): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = encode({ alg: 'ES256', typ: 'JWT' });
  const payload = encode({
    iss: TEST_JWT_ISSUER,
    aud: TEST_JWT_AUDIENCE,
    sub: '01980bca-d920-725d-854d-beeeb30ce301',
    iat: now,
    exp: now + 3_600,
    roles,
    units,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: privatePem,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/**
 * What a request could have written: a checksum of every table's rows and the end offsets of
 * the service's topics. The audit trail is left out on purpose: it records refused requests too.
 */
export class WrittenState {
  private tables: string[] = [];
  private hasOutbox = false;

  private constructor(
    private readonly client: Client,
    private readonly admin: Admin,
    private readonly topics: string[],
  ) {}

  static async open(service: ServiceUnderFuzz): Promise<WrittenState> {
    const client = new Client({ connectionString: service.databaseUrl });
    await client.connect();
    const admin = new Kafka({
      clientId: 'api-fuzz',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const state = new WrittenState(client, admin, service.topics);
    const { rows } = await client.query<{ name: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name
         FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND table_name NOT LIKE 'platform\\_audit\\_%'
        ORDER BY 1`,
    );
    state.tables = rows.map((row) => row.name);
    const outbox = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'outbox' AND column_name = 'published_at'`,
    );
    state.hasOutbox = (outbox.rowCount ?? 0) > 0;
    return state;
  }

  async snapshot(): Promise<Record<string, string>> {
    const snapshot: Record<string, string> = {};
    if (this.tables.length > 0) {
      const { rows } = await this.client.query<{ name: string; state: string }>(
        this.tables
          .map(
            (table) =>
              `SELECT ${literal(table)} AS name, count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS state FROM ${table} t`,
          )
          .join(' UNION ALL '),
      );
      for (const row of rows) snapshot[`table ${row.name}`] = row.state;
    }
    for (const topic of this.topics) {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      snapshot[`topic ${topic}`] = offsets.map((o) => `${o.partition}:${o.high}`).join(',');
    }
    return snapshot;
  }

  /**
   * After an accepted request: waits until its effects have landed (the outbox relay has
   * published, two snapshots agree) so that the next request starts from a still state.
   */
  async settled(): Promise<Record<string, string>> {
    let previous = await this.snapshot();
    return eventually(
      async () => {
        if (this.hasOutbox) {
          const pending = await this.client.query(`SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1`);
          if ((pending.rowCount ?? 0) > 0) throw new Error('outbox not yet relayed');
        }
        await new Promise((resolveWait) => setTimeout(resolveWait, 50));
        const current = await this.snapshot();
        const same = JSON.stringify(current) === JSON.stringify(previous);
        previous = current;
        if (!same) throw new Error('still changing');
        return current;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
  }

  private closed?: Promise<void>;

  close(): Promise<void> {
    return (this.closed ??= Promise.all([this.admin.disconnect(), this.client.end()]).then(() => undefined));
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Differences between two snapshots, one line each. */
export function differences(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => before[key] !== after[key])
    .map((key) => `${key}: ${before[key]} -> ${after[key]}`);
}
