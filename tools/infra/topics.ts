import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { adminConnection, type KafkaAdminCredentials } from './kafka-acls';
import { kafkaInfraDir } from './paths';

export interface TopicDeclaration {
  name: string;
  partitions: number;
  retentionMs: number;
  cleanupPolicy: 'delete' | 'compact' | 'compact,delete';
}

export function loadTopicDeclarations(file = resolve(kafkaInfraDir, 'topics.json')): TopicDeclaration[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { topics?: unknown };
  if (!Array.isArray(parsed.topics)) throw new Error(`${file}: "topics" must be an array`);
  return parsed.topics.map((raw, index) => validateDeclaration(raw, `${file} topics[${index}]`));
}

export function validateDeclaration(raw: unknown, where: string): TopicDeclaration {
  const topic = raw as Partial<TopicDeclaration>;
  if (typeof topic.name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(topic.name))
    throw new Error(`${where}: name must be a valid Kafka topic name`);
  if (!Number.isInteger(topic.partitions) || (topic.partitions as number) < 1)
    throw new Error(`${where}: partitions must be a positive integer`);
  if (!Number.isInteger(topic.retentionMs) || ((topic.retentionMs as number) < 1 && topic.retentionMs !== -1))
    throw new Error(`${where}: retentionMs must be a positive integer or -1`);
  if (!['delete', 'compact', 'compact,delete'].includes(topic.cleanupPolicy as string))
    throw new Error(`${where}: cleanupPolicy must be delete, compact or compact,delete`);
  return topic as TopicDeclaration;
}

export interface TopicChanges {
  created: string[];
  partitionsRaised: string[];
  configsUpdated: string[];
}

/**
 * Makes the broker match the declarations: creates missing topics, raises partition counts,
 * and sets retention and cleanup policy. Running it twice changes nothing the second time.
 * On a broker with authentication (KAFKA_AUTH=scram) it needs the admin credentials: no service
 * principal may create topics.
 */
export async function applyTopics(
  brokers: string[],
  declarations: TopicDeclaration[],
  adminCredentials?: KafkaAdminCredentials,
): Promise<TopicChanges> {
  const kafka = new Kafka({
    clientId: 'topic-setup',
    brokers,
    logLevel: logLevel.NOTHING,
    ...(adminCredentials ? adminConnection(adminCredentials) : {}),
  });
  const admin = kafka.admin();
  await admin.connect();
  const changes: TopicChanges = { created: [], partitionsRaised: [], configsUpdated: [] };
  try {
    const existing = new Set(await admin.listTopics());
    const missing = declarations.filter((d) => !existing.has(d.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((d) => ({
          topic: d.name,
          numPartitions: d.partitions,
          replicationFactor: -1,
          configEntries: [
            { name: 'retention.ms', value: String(d.retentionMs) },
            { name: 'cleanup.policy', value: d.cleanupPolicy },
          ],
        })),
      });
      changes.created.push(...missing.map((d) => d.name));
    }
    const present = declarations.filter((d) => existing.has(d.name));
    if (present.length === 0) return changes;

    const metadata = await admin.fetchTopicMetadata({ topics: present.map((d) => d.name) });
    const raise = present.filter((d) => {
      const current = metadata.topics.find((t) => t.name === d.name)?.partitions.length ?? 0;
      return current < d.partitions;
    });
    if (raise.length > 0) {
      await admin.createPartitions({
        topicPartitions: raise.map((d) => ({ topic: d.name, count: d.partitions })),
      });
      changes.partitionsRaised.push(...raise.map((d) => d.name));
    }

    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((d) => ({
        type: ConfigResourceTypes.TOPIC,
        name: d.name,
        configNames: ['retention.ms', 'cleanup.policy'],
      })),
    });
    for (const declaration of present) {
      const entries = configs.resources.find((r) => r.resourceName === declaration.name)?.configEntries ?? [];
      const value = (name: string) => entries.find((e) => e.configName === name)?.configValue;
      if (
        value('retention.ms') === String(declaration.retentionMs) &&
        value('cleanup.policy') === declaration.cleanupPolicy
      )
        continue;
      await admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: declaration.name,
            configEntries: [
              { name: 'retention.ms', value: String(declaration.retentionMs) },
              { name: 'cleanup.policy', value: declaration.cleanupPolicy },
            ],
          },
        ],
      });
      changes.configsUpdated.push(declaration.name);
    }
    return changes;
  } finally {
    await admin.disconnect();
  }
}
