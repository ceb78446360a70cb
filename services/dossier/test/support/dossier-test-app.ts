import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseEvent, type CloudEvent } from '@backbone/contracts';
import {
  createKafkaClient,
  inboxTransport,
  type IncomingRecord,
  type KafkaClient,
} from '@backbone/messaging';
import { createPlatformApp, loadConfig, platformTestEnv, type Role } from '@backbone/platform';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testKafkaBrokers,
  type TestDatabase,
  uniqueName,
} from '@backbone/testing';
import { importPKCS8, SignJWT } from 'jose';
import { AppModule } from '../../src/app.module';
import { DossierConfig } from '../../src/config';

const ISSUER = 'https://sso.test/realms/hanoi';
const AUDIENCE = 'backbone';

export interface DossierTestApp {
  app: NestFastifyApplication;
  config: DossierConfig;
  database: TestDatabase;
  kafka: KafkaClient;
  token(subject: string, roles: Role[], units: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The whole service on a fresh database, with topics and a consumer group of its own. */
export async function startDossierTestApp(overrides: Record<string, string> = {}): Promise<DossierTestApp> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const database = await createTestDatabase('dossier');
  const eventsTopic = uniqueName('test_dossier_events');
  const signingTopic = uniqueName('test_signing_events');
  await createTestTopics([
    { topic: eventsTopic, numPartitions: 3 },
    { topic: signingTopic, numPartitions: 2 },
  ]);
  const config = loadConfig(
    DossierConfig,
    platformTestEnv({
      DATABASE_URL: database.url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      RATE_LIMIT_MAX: '100000',
      DOSSIER_EVENTS_TOPIC: eventsTopic,
      DOSSIER_EVENTS_PARTITIONS: '3',
      SIGNING_EVENTS_TOPIC: signingTopic,
      DOSSIER_CONSUMER_GROUP: uniqueName('test_dossier'),
      OVERDUE_SCAN_INTERVAL_MS: '0',
      ...overrides,
    }),
  );
  const { app } = await createPlatformApp({
    serviceName: 'dossier',
    config,
    module: AppModule.forRoot(config),
  });
  // As main.ts: signing.events.v1 through the inbox transport.
  app.connectMicroservice(inboxTransport());
  await app.startAllMicroservices();
  const kafka = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'dossier-test',
    logLevel: 'nothing',
  });
  const signingKey = await importPKCS8(privatePem, 'ES256');
  return {
    app,
    config,
    database,
    kafka,
    token: (subject, roles, units) =>
      new SignJWT({ roles, units })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('30m')
        .sign(signingKey),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Reads a whole topic from the beginning until `probe(records)` passes (bounded wait). */
export async function readTopicUntil(
  kafka: KafkaClient,
  topic: string,
  probe: (records: IncomingRecord[]) => void,
  timeoutMs = 60_000,
): Promise<IncomingRecord[]> {
  const records: IncomingRecord[] = [];
  const consumer = kafka.consumer({
    groupId: uniqueName('test_reader'),
    topics: [topic],
    fromBeginning: true,
  });
  await consumer.connect();
  await consumer.run(async (batch) => {
    records.push(...batch.records);
    const last = batch.records.at(-1);
    if (last) batch.resolveThrough(last.offset);
  });
  try {
    await eventually(() => probe(records), { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export function eventsOf(records: IncomingRecord[]): CloudEvent[] {
  return records.map((record) => parseEvent(record.value!.toString('utf8')));
}
