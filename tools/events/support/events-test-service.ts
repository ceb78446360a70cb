import {
  buildEvent,
  type CloudEvent,
  eventClassFor,
  eventTypeOf,
  loadFixture,
  registeredEventTypes,
} from '@backbone/contracts';
import {
  addToOutbox,
  auditCheckpointsToOutbox,
  MessagingModule,
  messagingMigrations,
} from '@backbone/messaging';
import { PlatformConfig, PlatformModule } from '@backbone/platform';
import { createTestTopics, eventually, freePort, uniqueName } from '@backbone/testing';
import { type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * A service as every backbone service is built (libs/platform + libs/messaging: its HTTP server
 * serves the event catalogue, its outbox relay publishes), with nothing of its own: the tests of
 * issue 18 publish every catalogue type's fixture through its real outbox and relay, and resolve
 * the records' `dataschema` URLs against its catalogue.
 */
@Module({})
class EventsTestServiceModule {
  static forRoot(config: PlatformConfig, topics: readonly string[]): DynamicModule {
    return {
      module: EventsTestServiceModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'events-test',
          config,
          migrations: [...messagingMigrations],
          auditCheckpointPublisher: auditCheckpointsToOutbox(config.AUDIT_EVENTS_TOPIC),
        }),
        MessagingModule.forRoot({
          serviceName: 'events-test',
          brokers: config.KAFKA_BROKERS,
          publishes: [
            ...topics.map((topic) => ({ topic, numPartitions: 3 })),
            { topic: config.AUDIT_EVENTS_TOPIC },
          ],
          kafkaLogLevel: 'error',
        }),
      ],
    };
  }
}

export interface EventsTestService {
  service: ServiceTestApp<PlatformConfig>;
  /** The catalogue base URL the service serves and every event it builds names. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every test topic: `<prefix>.<topic of the catalogue>` (`<prefix>.dossier.events.v1`, ...). */
  topics: string[];
  /** The prefix of this run's topics (unique per run). */
  prefix: string;
  /** The test topic standing for a catalogue topic. */
  topicFor(catalogueTopic: string): string;
  close(): Promise<void>;
}

/**
 * Starts the service on 127.0.0.1 with EVENT_SCHEMA_BASE_URL pointing at its own catalogue and one
 * test topic per catalogue topic (derived from the registered event types: a new producer's topic
 * joins by itself).
 */
export async function startEventsTestService(): Promise<EventsTestService> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}/events/`;
  const prefix = uniqueName('test_events');
  const topicFor = (catalogueTopic: string) => `${prefix}.${catalogueTopic}`;
  const catalogueTopics = [...new Set(registeredEventTypes().map(({ metadata }) => metadata.topic))].sort();
  const auditTopic = topicFor('audit.events.v1');
  const topics = catalogueTopics.map(topicFor);
  // kafkajs's createTopics (waitForLeaders) throws UNKNOWN_TOPIC_OR_PARTITION when the new topics
  // are not in the broker's metadata yet, which happens while other tests create topics too;
  // creating again is harmless (existing topics are kept), so retry until every topic is there.
  await eventually(() => createTestTopics(topics.map((topic) => ({ topic, numPartitions: 3 }))), {
    timeoutMs: 60_000,
    intervalMs: 500,
  });
  const service = await startServiceTestApp({
    serviceName: 'events-test',
    configSchema: PlatformConfig,
    module: (config) =>
      EventsTestServiceModule.forRoot(
        config,
        topics.filter((topic) => topic !== auditTopic),
      ),
    env: { EVENT_SCHEMA_BASE_URL: baseUrl, AUDIT_EVENTS_TOPIC: auditTopic },
  });
  await service.app.listen(port, '127.0.0.1');
  return {
    service,
    baseUrl,
    origin,
    topics,
    prefix,
    topicFor,
    close: () => service.close(),
  };
}

/**
 * Builds one event per catalogue type from its fixture with the real `buildEvent` (so the envelope
 * is what producers write: absolute `dataschema`, `partitionkey`), and adds them to the service's
 * outbox in one transaction; its relay publishes them to the test topics. Returns the events.
 */
export async function publishEveryFixture(events: EventsTestService): Promise<CloudEvent[]> {
  const built = registeredEventTypes().map(({ metadata }) => {
    const fixture = loadFixture(metadata.type);
    return buildEvent(eventClassFor(metadata.type)!, {
      subject: fixture.subject,
      unitcode: fixture.unitcode,
      sequence: fixture.sequence,
      data: fixture.data,
      correlationid: fixture.correlationid,
      ...(fixture.causationid ? { causationid: fixture.causationid } : {}),
      time: new Date(fixture.time),
    });
  });
  const byTopic = new Map<string, CloudEvent[]>();
  for (const event of built) {
    const topic = eventTypeOf(eventClassFor(event.type)!).topic;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
  }
  const dataSource = events.service.app.get(DataSource);
  await dataSource.transaction(async (manager) => {
    for (const [topic, ofTopic] of byTopic)
      await addToOutbox(manager, ofTopic, { topic: events.topicFor(topic) });
  });
  return built;
}
