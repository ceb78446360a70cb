import { ensureDatabases, ensureServiceRoles, serviceDatabases } from '../infra/databases';
import {
  adminCredentialsFromEnv,
  applyAcls,
  checkPrincipals,
  loadPrincipalDeclarations,
} from '../infra/kafka-acls';
import { applyTopics, loadTopicDeclarations } from '../infra/topics';

/**
 * One-shot initialisation for an already running Kafka and PostgreSQL (docker compose's
 * `init` service, or a deployment job): per-service databases with their owner and service roles,
 * declared topics and, with KAFKA_AUTH=scram, the ACLs of infra/kafka/principals.json (as KAFKA_ADMIN_PASSWORD's admin); all idempotent.
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
  // Each service connects as <database>_app and migrates as <database>_owner (see libs/platform ENV.md).
  const owner = process.env.DB_OWNER_PASSWORD;
  const app = process.env.DB_APP_PASSWORD;
  if (!owner || !app)
    throw new Error('DB_OWNER_PASSWORD and DB_APP_PASSWORD must be set (npm run secrets:generate)');
  for (const name of serviceDatabases) await ensureServiceRoles(databaseUrl, name, { owner, app });
  const admin = adminCredentialsFromEnv();
  const declarations = loadTopicDeclarations();
  const topics = await applyTopics(brokers.split(','), declarations, admin);
  let acls = 'not used (KAFKA_AUTH=none)';
  if (admin) {
    const principals = loadPrincipalDeclarations();
    checkPrincipals(principals, declarations);
    const changes = await applyAcls(brokers.split(','), admin, principals);
    acls = `${changes.created.length} created, ${changes.deleted.length} deleted`;
  }
  process.stdout.write(
    `databases created: ${created.join(', ') || 'none'}; topics created: ${topics.created.join(', ') || 'none'}; ACLs: ${acls}\n`,
  );
}

init().catch((error: unknown) => {
  process.stderr.write(`init failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
