/** Where a run gets its Kafka broker and PostgreSQL server from. */
export type KafkaSource = 'external' | 'local-jars' | 'testcontainers';
export type PostgresSource = 'external' | 'local-cluster' | 'testcontainers';

export interface InfrastructureChoice {
  kafka: KafkaSource;
  postgres: PostgresSource;
}

export interface ChoiceInput {
  env: Record<string, string | undefined>;
  /** A Docker engine answers (`docker info` succeeds), not merely a docker client on PATH. */
  dockerAvailable: boolean;
  /** Tests may use throw-away containers; the stack (`npm start`) keeps its data in .data/. */
  purpose: 'test' | 'stack';
}

/**
 * The single rule for both `npm start` and `npm test`:
 * 1. `KAFKA_BROKERS` / `DATABASE_URL` set: use them, start nothing (CI services, a shared cluster).
 * 2. Tests on a machine with a Docker engine: testcontainers.
 * 3. Otherwise: Kafka from Apache's jars via infra/kafka/start.sh, and the machine's PostgreSQL cluster.
 */
export function chooseInfrastructure({ env, dockerAvailable, purpose }: ChoiceInput): InfrastructureChoice {
  const useContainers = purpose === 'test' && dockerAvailable;
  return {
    kafka: nonEmpty(env.KAFKA_BROKERS) ? 'external' : useContainers ? 'testcontainers' : 'local-jars',
    postgres: nonEmpty(env.DATABASE_URL) ? 'external' : useContainers ? 'testcontainers' : 'local-cluster',
  };
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
