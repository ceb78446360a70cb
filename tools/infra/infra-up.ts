import { applyTopics, loadTopicDeclarations } from './topics';
import { chooseInfrastructure } from './infrastructure-choice';
import { dockerEngineAvailable } from './docker-available';
import { adminCredentialsFromEnv, applyAcls, checkPrincipals, loadPrincipalDeclarations } from './kafka-acls';
import { type KafkaCredentials, type LocalKafkaTls, startLocalKafka } from './kafka-local';
import { ensureLocalPostgres } from './postgres-local';

export interface Infrastructure {
  kafkaBrokers: string;
  /**
   * Set when the local broker runs with KAFKA_AUTH=scram: the password of each service principal
   * (handed to that service only) and the admin's (topics and ACLs). The ACLs are applied.
   */
  kafkaCredentials?: KafkaCredentials;
  /** Set when `npm start` runs the local broker with KAFKA_SSL=true (and KAFKA_AUTH=scram): its development CA. */
  kafkaTls?: LocalKafkaTls;
  /** A server URL (database `postgres`); services and tests derive their own database from it. */
  databaseUrl: string;
  /** Human-readable lines: where each piece came from, log files. */
  notes: string[];
  /** Stops only what this call started. */
  stop(): Promise<void>;
}

/** Brings up Kafka and PostgreSQL for `npm start` or `npm test`, then applies the declared topics. */
export async function bringUpInfrastructure(purpose: 'test' | 'stack'): Promise<Infrastructure> {
  const needsDockerCheck = !process.env.KAFKA_BROKERS || !process.env.DATABASE_URL;
  const choice = chooseInfrastructure({
    env: process.env,
    dockerAvailable: purpose === 'test' && needsDockerCheck ? dockerEngineAvailable() : false,
    purpose,
  });
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  let kafkaBrokers: string;
  let kafkaCredentials: KafkaCredentials | undefined;
  let kafkaTls: LocalKafkaTls | undefined;
  let databaseUrl: string;

  try {
    if (choice.kafka === 'external') {
      kafkaBrokers = process.env.KAFKA_BROKERS as string;
      notes.push(`Kafka: KAFKA_BROKERS=${kafkaBrokers} (nothing started)`);
    } else if (choice.kafka === 'testcontainers') {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const container = await new KafkaContainer('confluentinc/cp-kafka:8.1.0').start();
      kafkaBrokers = `${container.getHost()}:${container.getMappedPort(9093)}`;
      stops.push(async () => void (await container.stop()));
      notes.push(`Kafka: testcontainers confluentinc/cp-kafka:8.1.0 at ${kafkaBrokers}`);
    } else {
      // Test clients connect without SASL: the test set-up's broker stays PLAINTEXT whatever
      // KAFKA_AUTH says (tools/infra/kafka-auth.int-spec.ts starts its own SCRAM broker).
      // KAFKA_SSL=true (npm start with KAFKA_AUTH=scram): SASL_SSL with a development CA (docs/adr/0014).
      const kafka = await startLocalKafka({
        auth: purpose === 'test' ? 'none' : undefined,
        ssl: purpose === 'stack' && process.env.KAFKA_SSL?.trim() === 'true',
      });
      kafkaBrokers = kafka.brokers;
      kafkaCredentials = kafka.credentials;
      kafkaTls = kafka.tls;
      if (kafka.startedHere) stops.push(() => kafka.stop());
      notes.push(
        `Kafka: ${kafka.brokers} from Apache's jars (${kafka.startedHere ? 'started now' : 'already running'}; log ${kafka.logFile})`,
      );
      if (kafka.credentials)
        notes.push(`Kafka: SASL/SCRAM-SHA-512 and ACLs (credentials in ${kafka.dataDir}/credentials.env)`);
      if (kafka.tls) notes.push(`Kafka: TLS (SASL_SSL), development CA ${kafka.tls.caFile}`);
    }

    if (choice.postgres === 'external') {
      databaseUrl = process.env.DATABASE_URL as string;
      notes.push(`PostgreSQL: DATABASE_URL (nothing started)`);
    } else if (choice.postgres === 'testcontainers') {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      databaseUrl = container.getConnectionUri();
      stops.push(async () => void (await container.stop()));
      notes.push(`PostgreSQL: testcontainers postgres:16-alpine`);
    } else {
      databaseUrl = await ensureLocalPostgres();
      notes.push(`PostgreSQL: the machine's cluster at 127.0.0.1:5432`);
    }

    // An external broker with KAFKA_AUTH=scram: topics and ACLs as the admin named in the environment.
    const admin = kafkaCredentials?.admin ?? adminCredentialsFromEnv();
    const topics = loadTopicDeclarations();
    const changes = await applyTopics(kafkaBrokers.split(','), topics, admin);
    if (changes.created.length > 0) notes.push(`Topics created: ${changes.created.join(', ')}`);
    if (admin && !kafkaCredentials) {
      const principals = loadPrincipalDeclarations();
      checkPrincipals(principals, topics);
      await applyAcls(kafkaBrokers.split(','), admin, principals);
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }

  return {
    kafkaBrokers,
    kafkaCredentials,
    kafkaTls,
    databaseUrl,
    notes,
    async stop() {
      for (const stop of [...stops].reverse()) await stop();
    },
  };
}
