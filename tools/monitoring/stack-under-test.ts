import { resolve } from 'node:path';
import { AUDIT_EVENTS_TOPIC, EVENT_TOPICS } from '@backbone/contracts';
import {
  createTestDatabase,
  createTestTopics,
  signTestToken,
  startServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';
import { discoverServices, type ServiceDescriptor } from '../stack/services';

/** One service of the stack, running as its own process. */
export interface RunningService {
  name: string;
  baseUrl: string;
  output(): string;
}

export interface StackUnderTest {
  services: RunningService[];
  service(name: string): RunningService;
  /** The stack's topic for a producer's `<producer>.events.v1`. */
  topicOf(producer: string): string;
  token(roles: string[], units: string[]): Promise<string>;
  stop(): Promise<void>;
}

const envName = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * Every service `npm start` would run (discovered the same way: services/<name>/package.json's
 * "backbone"), each as its own process from its sources on a fresh database, sharing one set of
 * fresh topics as the real stack shares `<producer>.events.v1`: what one service publishes, the
 * others consume. Configuration by convention, so a new service needs nothing here:
 * `<PRODUCER>_EVENTS_TOPIC` for every producer's topic, `<SERVICE>_CONSUMER_GROUP` unique,
 * `<SERVICE>_TOPICS` every producer's topic; the package.json's "backbone.quietEnv" turns the
 * schedulers off. `env` is added to every service's environment (e.g. the OTLP endpoint).
 */
export async function startStack(env: Record<string, string> = {}): Promise<StackUnderTest> {
  const descriptors = discoverServices();
  const topics = new Map<string, string>();
  for (const topic of EVENT_TOPICS) {
    const producer = topic.replace(/\.events\.v\d+$/, '');
    topics.set(producer, uniqueName(`test_stack_${producer.replace(/-/g, '_')}`));
  }
  await createTestTopics([...topics.values()].map((topic) => ({ topic, numPartitions: 2 })));
  const topicEnv = Object.fromEntries(
    [...topics].map(([producer, topic]) => [`${envName(producer)}_EVENTS_TOPIC`, topic]),
  );
  const consumed = EVENT_TOPICS.filter((topic) => topic !== AUDIT_EVENTS_TOPIC).map((topic) =>
    topics.get(topic.replace(/\.events\.v\d+$/, ''))!,
  );
  const keys = testSigningKeys();
  const started: { service: RunningService; stop(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.map((entry) => entry.stop()));
  };
  try {
    // Two at a time: each compiles its sources and migrates a database at start-up, and two cores
    // carry the broker, PostgreSQL and the test too. A failure stops the others from starting.
    const waiting = [...descriptors];
    const startNext = async (): Promise<void> => {
      for (let descriptor = waiting.shift(); descriptor; descriptor = waiting.shift()) {
        started.push(
          await startService(descriptor, {
            ...topicEnv,
            [`${envName(descriptor.name)}_CONSUMER_GROUP`]: uniqueName(`test_stack_${descriptor.name}`),
            [`${envName(descriptor.name)}_TOPICS`]: consumed.join(','),
            JWT_PUBLIC_KEY: keys.publicPem,
            ...env,
          }).catch((error: unknown) => {
            waiting.length = 0;
            throw error;
          }),
        );
      }
    };
    const results = await Promise.allSettled([startNext(), startNext()]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (error) {
    await stop();
    throw error;
  }
  const services = started.map((entry) => entry.service).sort((a, b) => a.name.localeCompare(b.name));
  return {
    services,
    service(name) {
      const found = services.find((service) => service.name === name);
      if (!found) throw new Error(`no service ${name} in the stack`);
      return found;
    },
    topicOf(producer) {
      const topic = topics.get(producer);
      if (!topic) throw new Error(`no topic for producer ${producer}`);
      return topic;
    },
    token: (roles, units) => signTestToken(keys.privatePem, { roles, units }),
    stop,
  };
}

async function startService(
  descriptor: ServiceDescriptor,
  env: Record<string, string>,
): Promise<{ service: RunningService; stop(): Promise<void> }> {
  const database: TestDatabase = await createTestDatabase(`stack_${descriptor.name.replace(/-/g, '_')}`);
  const running = await startServiceProcess({
    name: descriptor.name,
    entry: resolve(descriptor.dir, 'src/main.ts'),
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      ...descriptor.quietEnv,
      ...env,
    },
    // Two services start at once beside the broker and PostgreSQL, each compiling its sources.
    liveTimeoutMs: 240_000,
    outputLimit: 100_000,
    afterStop: () => database.drop(),
  });
  return {
    service: { name: descriptor.name, baseUrl: running.baseUrl, output: running.output },
    stop: running.stop,
  };
}
