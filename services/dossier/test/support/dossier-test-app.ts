import { type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { uniqueName } from '@backbone/testing';
import { AppModule } from '../../src/app.module';
import { DossierConfig } from '../../src/config';

export type DossierTestApp = ServiceTestApp<DossierConfig>;

/** The whole service on a fresh database, with topics and a consumer group of its own. */
export async function startDossierTestApp(overrides: Record<string, string> = {}): Promise<DossierTestApp> {
  const eventsTopic = uniqueName('test_dossier_events');
  const signingTopic = uniqueName('test_signing_events');
  return startServiceTestApp({
    serviceName: 'dossier',
    // As main.ts: signing.events.v1 through the inbox transport.
    consumesEvents: true,
    configSchema: DossierConfig,
    module: (config) => AppModule.forRoot(config),
    topics: [
      { topic: eventsTopic, numPartitions: 3 },
      { topic: signingTopic, numPartitions: 2 },
    ],
    env: {
      DOSSIER_EVENTS_TOPIC: eventsTopic,
      DOSSIER_EVENTS_PARTITIONS: '3',
      SIGNING_EVENTS_TOPIC: signingTopic,
      DOSSIER_CONSUMER_GROUP: uniqueName('test_dossier'),
      OVERDUE_SCAN_INTERVAL_MS: '0',
      ...overrides,
    },
  });
}
