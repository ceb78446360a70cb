import { createTestDatabase, type TestDatabase } from '@backbone/testing';
import { DataSource } from 'typeorm';
import { CreateReportingProjections1764300000000 } from '../src/database/migrations/1764300000000-create-reporting-projections';
import { generationDdl } from '../src/database/generation-schema';
import { writeProjectionBatch } from '../src/projections/projection-writer';
import { HANOI_UNIT_CODES } from '../src/units/units';
import { generateDossierEvents } from './builders/generate-dossier-events';

describe('projection writer (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('reporting_writer');
    // Only the reporting migration: the writer needs no inbox, and this keeps the test free of the Nest-based messaging module.
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [CreateReportingProjections1764300000000],
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function applyInBatches(
    schema: string,
    events: ReturnType<typeof generateDossierEvents>,
    size: number,
  ) {
    for (let i = 0; i < events.length; i += size) {
      await dataSource.transaction((manager) =>
        writeProjectionBatch(manager, schema, events.slice(i, i + size)),
      );
    }
  }

  async function tables(schema: string) {
    return {
      counters: await dataSource.query(
        `SELECT unit_code, day::text, metric, dim1, dim2, dim3, value::bigint::text FROM "${schema}".daily_counter
         ORDER BY unit_code, day, metric, dim1, dim2, dim3`,
      ),
      states: await dataSource.query(
        `SELECT dossier_id, unit_code, status, last_sequence, last_event_time, due_at, resolved_at, procedure_code,
                channel, online_level, received_at FROM "${schema}".dossier_state ORDER BY dossier_id`,
      ),
      positions: await dataSource.query(
        `SELECT topic, kafka_partition, max_event_time, events_applied::text FROM "${schema}".stream_position ORDER BY 1, 2`,
      ),
    };
  }

  it('gives identical tables whatever the batch size', async () => {
    const events = generateDossierEvents({ targetEvents: 2_500, unitCodes: HANOI_UNIT_CODES, seed: 11 });
    for (const schema of ['split_one', 'split_many']) {
      for (const statement of generationDdl(schema)) await dataSource.query(statement);
    }
    await applyInBatches('reporting_g1', events, 500);
    await applyInBatches('split_one', events, 1);
    await applyInBatches('split_many', events, 37);

    const reference = await tables('reporting_g1');
    expect(reference.counters.length).toBeGreaterThan(1_000);
    expect(reference.states.length).toBeGreaterThan(300);
    expect(await tables('split_one')).toEqual(reference);
    expect(await tables('split_many')).toEqual(reference);

    const [{ received }] = await dataSource.query(
      `SELECT sum(value)::int AS received FROM reporting_g1.daily_counter WHERE metric = 'dossier.received'`,
    );
    expect(received).toBe(events.filter((event) => event.type === 'dossier.received.v1').length);
  });

  it('never lets an older event overwrite a newer dossier state', async () => {
    const events = generateDossierEvents({ targetEvents: 200, unitCodes: ['00070'], seed: 5, lateShare: 0 });
    const dossierId = events.find((event) => event.type === 'dossier.resolved.v1')!.subject;
    const own = events.filter((event) => event.subject === dossierId);
    for (const statement of generationDdl('ordering')) await dataSource.query(statement);
    // Newest first, one event per batch: the state must still end at the last event's status.
    for (const event of [...own].reverse()) {
      await dataSource.transaction((manager) => writeProjectionBatch(manager, 'ordering', [event]));
    }
    const [state] = await dataSource.query(
      `SELECT status, last_sequence, channel FROM ordering.dossier_state`,
    );
    const last = own[own.length - 1]!;
    expect(state.last_sequence).toBe(last.sequence);
    expect(state.status).toBe(last.type === 'dossier.result-returned.v1' ? 'result-returned' : 'resolved');
    expect(state.channel).not.toBeNull();
  });
});
