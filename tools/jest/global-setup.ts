import { bringUpInfrastructure, type Infrastructure } from '../infra/infra-up';

declare global {
  var backboneTestInfrastructure: Infrastructure | undefined;
}

/**
 * Integration tests get a real broker and database: the ones named by KAFKA_BROKERS /
 * DATABASE_URL, testcontainers where a Docker engine runs, or else the broker started from
 * Apache's jars and the machine's PostgreSQL. Test workers inherit the variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const infrastructure = await bringUpInfrastructure('test');
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.DATABASE_URL = infrastructure.databaseUrl;
  globalThis.backboneTestInfrastructure = infrastructure;
  process.stdout.write(`\n${infrastructure.notes.map((n) => `  ${n}`).join('\n')}\n`);
}
