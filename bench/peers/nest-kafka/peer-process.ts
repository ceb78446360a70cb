// The peer a NestJS team would build instead of our pipeline, one side per process (as
// bench/messaging/pipeline-process.ts, and speaking the same JSON lines to the benchmark):
//   ROLE=producer  a Nest application: a TypeORM save of TX_SIZE dossiers per transaction, then
//                  `ClientKafka.emit` of their events (no outbox: an event is lost if the process
//                  dies between the commit and the send)
//   ROLE=consumer  a Nest microservice on `@nestjs/microservices`' Kafka transport: an
//                  `@EventPattern` handler applying each event in its own TypeORM transaction
//                  (an inbox row, then the counter update)
// Nest's defaults throughout, except the consumer's partitionsConsumedConcurrently, set to ours (4).
import 'reflect-metadata';
import { type CloudEvent } from '@backbone/contracts';
import { Controller, Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientKafka,
  ClientsModule,
  Ctx,
  EventPattern,
  KafkaContext,
  type MicroserviceOptions,
  Payload,
  Transport,
} from '@nestjs/microservices';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { dossierReceivedEvent } from '../../support/contract-events';
import { PeerDossier, PeerInboxEntry } from './entities';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
};

const TOPIC = env('BENCH_TOPIC');
const KAFKA_CLIENT = 'KAFKA_CLIENT';
const kafkaClientOptions = (clientId: string) => ({
  clientId,
  brokers: env('KAFKA_BROKERS').split(','),
  logLevel: logLevel.NOTHING,
});
const database = TypeOrmModule.forRoot({
  type: 'postgres',
  url: env('DATABASE_URL'),
  entities: [PeerDossier, PeerInboxEntry],
  // The name lets the benchmark tell each side's PostgreSQL backends apart (pg_stat_activity).
  extra: { max: 8, application_name: `bench-${env('ROLE')}` },
});

// ---- producer ----

@Injectable()
class ReceiveDossiersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KAFKA_CLIENT) private readonly kafka: ClientKafka,
  ) {}

  /** Saves the dossiers, then emits their events once the save has committed. */
  async receive(events: CloudEvent[]): Promise<void> {
    await this.dataSource.transaction((manager) =>
      manager.save(
        events.map((event) =>
          manager.create(PeerDossier, {
            eventId: event.id,
            dossierId: event.subject,
            unitCode: event.unitcode,
            data: event.data as object,
          }),
        ),
      ),
    );
    await Promise.all(
      events.map((event) =>
        lastValueFrom(
          this.kafka.emit(TOPIC, {
            key: event.subject,
            value: event,
            headers: { ce_type: event.type, ce_id: event.id },
          }),
        ),
      ),
    );
  }
}

@Module({
  imports: [
    database,
    ClientsModule.register([
      {
        name: KAFKA_CLIENT,
        transport: Transport.KAFKA,
        options: { client: kafkaClientOptions('peer-producer'), producerOnlyMode: true },
      },
    ]),
  ],
  providers: [ReceiveDossiersService],
})
class ProducerModule {}

async function producer(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ProducerModule, { logger: ['error', 'warn'] });
  const kafka = app.get<ClientKafka>(KAFKA_CLIENT);
  await kafka.connect();
  const service = app.get(ReceiveDossiersService);
  const total = Number(env('EVENTS'));
  const txSize = Number(env('TX_SIZE'));
  const keys = Number(env('KEYS'));
  const writers = Number(process.env.WRITERS ?? 2);
  // Built before the clock starts, as the pipeline's are.
  const sequences = new Array<number>(keys).fill(0);
  const all = Array.from({ length: total }, (_, i) => {
    sequences[i % keys] += 1;
    return dossierReceivedEvent(`bench-key-${i % keys}`, sequences[i % keys]);
  });
  let next = 0;
  const started = Date.now();
  send({ kind: 'writing', at: started, cpuMs: cpuMs() });
  async function writer(): Promise<void> {
    while (next < total) {
      const first = next;
      next += txSize;
      await service.receive(all.slice(first, first + txSize));
    }
  }
  await Promise.all(Array.from({ length: writers }, writer));
  const written = Date.now();
  send({
    kind: 'done',
    firstWriteAt: started,
    writtenAt: written,
    // emit() was awaited: every event is on the broker once the writers are done.
    drainedAt: written,
    peakRssMb: peakRssMb(),
    cpuMs: cpuMs(),
  });
  await app.close();
}

// ---- consumer ----

const progress = { total: Number(process.env.EVENTS ?? 0), applied: 0, firstAppliedAt: 0, lastAppliedAt: 0 };
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));

@Controller()
class CountDossiersController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @EventPattern<string>(TOPIC)
  async onDossierReceived(@Payload() event: CloudEvent, @Ctx() context: KafkaContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(PeerInboxEntry)
        .values({
          eventId: event.id,
          eventType: event.type,
          topic: context.getTopic(),
          kafkaPartition: context.getPartition(),
          kafkaOffset: context.getMessage().offset,
        })
        .orIgnore()
        .returning(['eventId'])
        .execute();
      // A redelivered event has its inbox row already: applied once, skipped now.
      if ((inserted.raw as unknown[]).length === 0) return;
      await manager.query(
        `INSERT INTO bench_projection (key, events) VALUES ($1, 1)
         ON CONFLICT (key) DO UPDATE SET events = bench_projection.events + 1`,
        [event.subject],
      );
    });
    const now = Date.now();
    if (progress.firstAppliedAt === 0) progress.firstAppliedAt = now;
    progress.lastAppliedAt = now;
    progress.applied += 1;
    if (progress.applied >= progress.total) finish();
  }
}

@Module({ imports: [database], controllers: [CountDossiersController] })
class ConsumerModule {}

async function consumer(): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ConsumerModule, {
    logger: ['error', 'warn'],
    transport: Transport.KAFKA,
    options: {
      client: kafkaClientOptions('peer-consumer'),
      consumer: { groupId: env('GROUP_ID') },
      subscribe: { fromBeginning: true },
      run: { partitionsConsumedConcurrently: Number(process.env.CONSUMER_CONCURRENCY ?? 4) },
    },
  });
  await app.listen();
  send({ kind: 'ready', cpuMs: cpuMs() });
  await finished;
  send({
    kind: 'done',
    applied: progress.applied,
    // One transaction per event: that is the peer.
    transactions: progress.applied,
    firstAppliedAt: progress.firstAppliedAt,
    lastAppliedAt: progress.lastAppliedAt,
    peakRssMb: peakRssMb(),
    cpuMs: cpuMs(),
  });
  await app.close();
}

(env('ROLE') === 'producer' ? producer() : consumer()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `peer ${process.env.ROLE} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
