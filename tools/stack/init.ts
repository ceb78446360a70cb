import { ensureDatabases, serviceDatabases } from '../infra/databases';
import { applyTopics, loadTopicDeclarations } from '../infra/topics';

/**
 * One-shot initialisation for an already running Kafka and PostgreSQL (docker compose's
 * `init` service, or a deployment job): per-service databases and declared topics, both idempotent.
 */
async function init(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!databaseUrl)
    throw new Error(
      'DATABASE_URL must name the PostgreSQL server, e.g. postgres://postgres:secret@postgres:5432/postgres',
    );
  if (!brokers) throw new Error('KAFKA_BROKERS must list the brokers, e.g. kafka:9092');
  const created = await ensureDatabases(databaseUrl, serviceDatabases);
  const topics = await applyTopics(brokers.split(','), loadTopicDeclarations());
  process.stdout.write(
    `databases created: ${created.join(', ') || 'none'}; topics created: ${topics.created.join(', ') || 'none'}\n`,
  );
}

init().catch((error: unknown) => {
  process.stderr.write(`init failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
