import { EVENT_TOPICS } from '@backbone/contracts';
import { createKafkaClient, kafkaSecurityFromSettings } from '@backbone/messaging';
import { createReportingDataSource } from '../database/data-source';
import { type RebuildOptions, type RebuildResult, rebuildProjections } from './rebuild-projections';

/**
 * A rebuild of the reporting database at `databaseUrl` from the topics the environment names, as
 * the reporting service would consume them: KAFKA_BROKERS (and the Kafka security settings),
 * REPORTING_TOPICS (default every *.events.v1), REPORTING_CONSUMER_GROUP (the live group, default
 * reporting). The rebuild CLI and the replay benchmark both start it this way.
 */
export async function rebuildFromEnvironment(
  databaseUrl: string,
  clientId: string,
  options: Pick<RebuildOptions, 'log' | 'progressIntervalMs' | 'stallTimeoutMs'> = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<RebuildResult> {
  const brokers = env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS must be set');
  const dataSource = createReportingDataSource(databaseUrl, 6);
  await dataSource.initialize();
  try {
    return await rebuildProjections({
      ...options,
      dataSource,
      client: createKafkaClient({ brokers: brokers.split(','), clientId, ...kafkaSecurityFromSettings(env) }),
      topics: env.REPORTING_TOPICS ? env.REPORTING_TOPICS.split(',') : [...EVENT_TOPICS],
      liveGroupId: env.REPORTING_CONSUMER_GROUP ?? 'reporting',
    });
  } finally {
    await dataSource.destroy();
  }
}
