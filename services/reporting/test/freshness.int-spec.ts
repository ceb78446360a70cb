import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { DataSource } from 'typeorm';
import { generationDdl } from '../src/database/generation-schema';
import { CreateReportingProjections1764300000000 } from '../src/database/migrations/1764300000000-create-reporting-projections';
import { freshnessOf, type LagSnapshot } from '../src/freshness/freshness';
import { type EventPosition, writeProjectionBatch } from '../src/projections/projection-writer';
import { generateDossierEvents } from './builders/generate-dossier-events';

/*
 * Freshness from the stream_position rows the writer records per topic-partition (real
 * PostgreSQL). The lag snapshot is given by hand: LagMonitor's measurement against the broker is
 * exercised by reporting-api.int-spec.
 */
describe('freshness per partition (real PostgreSQL)', () => {
  const topic = 'dossier.events.v1';
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('reporting_freshness');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [CreateReportingProjections1764300000000],
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    for (const statement of generationDdl('freshness')) await dataSource.query(statement);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is bounded by the lagging partitions only, each by its own newest applied event', async () => {
    const events = [...generateDossierEvents({ targetEvents: 300, unitCodes: ['00070'], seed: 5 })].sort(
      (a, b) => Date.parse(a.time) - Date.parse(b.time),
    );
    // Partition 0 gets the early third, partition 1 the late two thirds (as if keyed by dossier).
    const split = Math.floor(events.length / 3);
    const early = events.slice(0, split);
    const late = events.slice(split);
    const positionsOf = (batch: typeof events, partition: number): EventPosition[] =>
      batch.map((_, offset) => ({ topic, partition, offset: String(offset) }));
    await dataSource.transaction((manager) =>
      writeProjectionBatch(manager, 'freshness', early, positionsOf(early, 0)),
    );
    await dataSource.transaction((manager) =>
      writeProjectionBatch(manager, 'freshness', late, positionsOf(late, 1)),
    );
    const rows: { kafka_partition: number }[] = await dataSource.query(
      `SELECT kafka_partition FROM freshness.stream_position ORDER BY 1`,
    );
    expect(rows.map((r) => r.kafka_partition)).toEqual([0, 1]);

    const newest = (batch: typeof events) => new Date(batch[batch.length - 1]!.time).toISOString();
    const measuredAt = new Date().toISOString();
    const snapshot = (lag0: number, lag1: number, lag2 = 0): LagSnapshot => ({
      measuredAt,
      total: lag0 + lag1 + lag2,
      partitions: [
        { topic, partition: 0, lag: lag0 },
        { topic, partition: 1, lag: lag1 },
        { topic, partition: 2, lag: lag2 },
      ],
    });

    // Partition 0 is behind: the early partition's newest event bounds the figures.
    expect((await freshnessOf(dataSource, 'freshness', snapshot(7, 0))).completeUpTo).toBe(newest(early));
    // Partition 0 caught up, partition 1 behind: its newer time bounds them, 0's older one does not.
    expect((await freshnessOf(dataSource, 'freshness', snapshot(0, 4))).completeUpTo).toBe(newest(late));
    // Partition 2 has records waiting and nothing applied: no bound can be given.
    expect((await freshnessOf(dataSource, 'freshness', snapshot(0, 0, 9))).completeUpTo).toBeNull();
    const caughtUp = await freshnessOf(dataSource, 'freshness', snapshot(0, 0));
    expect(caughtUp).toEqual({ completeUpTo: measuredAt, consumerLag: { messages: 0, measuredAt } });
  });
});
