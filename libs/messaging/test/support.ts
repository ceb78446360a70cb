import { buildEvent, type CloudEvent } from '@backbone/contracts';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@backbone/testing';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  addToOutbox,
  createKafkaClient,
  type IncomingRecord,
  type KafkaClient,
  messagingMigrations,
} from '../src';
import { TestOrderPlaced } from './test-events';

export class CreateTestTables1764100009999 implements MigrationInterface {
  name = 'CreateTestTables1764100009999';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE test_orders (id text PRIMARY KEY, amount_vnd integer NOT NULL)`);
    // No unique constraint on purpose: an event applied twice shows up as two rows.
    await queryRunner.query(
      `CREATE TABLE test_applied (event_id uuid NOT NULL, subject text NOT NULL, sequence integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  }
  async down(): Promise<void> {}
}

export interface TestDb {
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function openDataSource(url: string, poolSize = 5): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [...messagingMigrations, CreateTestTables1764100009999],
    extra: { max: poolSize },
  });
  await dataSource.initialize();
  return dataSource;
}

export async function setUpTestDb(prefix: string): Promise<TestDb> {
  const database = await createTestDatabase(prefix);
  const dataSource = await openDataSource(database.url);
  await dataSource.runMigrations();
  return {
    database,
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}

export function testClient(clientId = 'messaging-test'): KafkaClient {
  return createKafkaClient({ brokers: testKafkaBrokers(), clientId, logLevel: 'nothing' });
}

export function orderPlaced(
  subject: string,
  sequence: number,
  behaviour: 'ok' | 'explode' = 'ok',
): CloudEvent<TestOrderPlaced> {
  return buildEvent(TestOrderPlaced, {
    subject,
    sequence,
    unitcode: '00070',
    data: { orderId: subject, amountVnd: 1_000 * sequence, behaviour },
  });
}

/** The state change and its event in one transaction, as a service does it. */
export async function placeOrder(manager: EntityManager, event: CloudEvent<TestOrderPlaced>): Promise<void> {
  await manager.query(
    `INSERT INTO test_orders (id, amount_vnd) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET amount_vnd = EXCLUDED.amount_vnd`,
    [event.subject, event.data.amountVnd],
  );
  await addToOutbox(manager, [event]);
}

/** A handler that records every application, so a double application is visible as a duplicate row. */
export async function recordApplied(event: CloudEvent, manager: EntityManager): Promise<void> {
  await manager.query(`INSERT INTO test_applied (event_id, subject, sequence) VALUES ($1, $2, $3)`, [
    event.id,
    event.subject,
    event.sequence,
  ]);
}

export async function appliedCounts(dataSource: DataSource): Promise<{ rows: number; distinct: number }> {
  const [row] = await dataSource.query(
    `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct FROM test_applied`,
  );
  return row;
}

export function subjectsInOrder(records: IncomingRecord[]): Map<string, number[]> {
  const bySubject = new Map<string, number[]>();
  for (const record of records) {
    const event = JSON.parse(record.value!.toString('utf8')) as CloudEvent;
    const list = bySubject.get(event.subject) ?? [];
    list.push(event.sequence);
    bySubject.set(event.subject, list);
  }
  return bySubject;
}
