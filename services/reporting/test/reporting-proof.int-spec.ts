import { createKafkaClient } from '@backbone/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  type TestDatabase,
  testKafkaBrokers,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';
import { DataSource } from 'typeorm';
import { CreateReportingProjections1764300000000 } from '../src/database/migrations/1764300000000-create-reporting-projections';
import { rebuildProjections } from '../src/rebuild/rebuild-projections';
import { HANOI_UNIT_CODES } from '../src/units/units';
import { generateDossierEvents, withDuplicates } from './builders/generate-dossier-events';
import {
  differences,
  loadSourceRows,
  projectedCountersSql,
  projectedStatusSql,
  RECOMPUTED_COUNTERS_SQL,
  RECOMPUTED_STATUS_SQL,
} from './support/recompute';
import { publishEvents, type ReportingProcess, startReportingProcess } from './support/reporting-process';

/*
 * Proofs of issue 6 on the real broker and database: 50,000 generated dossier events across the
 * 126 units, published with 5 % duplicates, consumed by the service process killed (SIGKILL) twice
 * while it works, give exactly the counters and dossier states recomputed in SQL from the unique
 * source rows; a rebuild into a new generation, run while the service keeps serving, gives the same.
 */
describe('reporting proofs: 50,000 events, duplicates, kills, rebuild', () => {
  const keys = testSigningKeys();
  const topic = uniqueName('reporting_proof_dossier_events');
  const groupId = uniqueName('reporting');
  const events = generateDossierEvents({ targetEvents: 50_000, unitCodes: HANOI_UNIT_CODES, seed: 2025 });
  const published = withDuplicates(events, 0.05);
  let database: TestDatabase;
  let dataSource: DataSource;
  let service: ReportingProcess | undefined;

  const env = () => ({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    JWT_PUBLIC_KEY: keys.publicPem,
    REPORTING_TOPICS: topic,
    REPORTING_CONSUMER_GROUP: groupId,
    // Small transactions, so that a kill lands between and inside many of them.
    REPORTING_MAX_RECORDS_PER_TRANSACTION: '500',
  });
  const inboxCount = async () =>
    Number(
      (await dataSource.query(`SELECT count(*) AS n FROM inbox WHERE consumer_group = $1`, [groupId]))[0].n,
    );

  beforeAll(async () => {
    database = await createTestDatabase('reporting_proof');
    // The service migrates at start-up; this connection only reads and holds the source rows.
    dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: [CreateReportingProjections1764300000000],
    });
    await dataSource.initialize();
    await loadSourceRows(dataSource, events);
    await createTestTopics([{ topic, numPartitions: 6 }]);
    await publishEvents(topic, published);
  });

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await dataSource?.destroy();
    await database?.drop();
  });

  async function killWhenInboxPasses(threshold: number) {
    service = await startReportingProcess(env());
    await eventually(
      async () => {
        if (service!.child.exitCode !== null) throw new Error(`service exited: ${service!.output()}`);
        const n = await inboxCount().catch(() => 0);
        if (n < threshold) throw new Error(`inbox ${n} < ${threshold}`);
      },
      { timeoutMs: 100_000, intervalMs: 50 },
    );
    service.child.kill('SIGKILL');
    await service.exited;
  }

  it('applies 50,000 events with 5 % duplicates and two kills exactly once', async () => {
    expect(published.length).toBeGreaterThan(52_000);
    await killWhenInboxPasses(8_000);
    await killWhenInboxPasses(25_000);
    service = await startReportingProcess(env());
    await eventually(
      async () => {
        const n = await inboxCount();
        if (n !== events.length) throw new Error(`inbox ${n} of ${events.length}`);
      },
      { timeoutMs: 110_000, intervalMs: 250 },
    );

    const counters = await differences(
      dataSource,
      projectedCountersSql('reporting_g1'),
      RECOMPUTED_COUNTERS_SQL,
    );
    expect(counters).toEqual({ onlyLeft: [], onlyRight: [] });
    const states = await differences(dataSource, projectedStatusSql('reporting_g1'), RECOMPUTED_STATUS_SQL);
    expect(states).toEqual({ onlyLeft: [], onlyRight: [] });
    const [{ units }] = await dataSource.query(
      `SELECT count(DISTINCT unit_code)::int AS units FROM reporting_g1.daily_counter`,
    );
    expect(units).toBe(126);
  });

  it('rebuilds into a new generation while the service serves, and switches to identical figures', async () => {
    const result = await rebuildProjections({
      dataSource,
      client: createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'reporting-proof-rebuild' }),
      topics: [topic],
      liveGroupId: groupId,
    });
    expect(result).toMatchObject({ generation: 2, eventsApplied: events.length });
    // Duplicates after the live consumer's last applied offset of a partition are beyond where a rebuild stops.
    expect(result.duplicatesSkipped).toBeGreaterThan(0.9 * (published.length - events.length));
    expect(result.duplicatesSkipped).toBeLessThanOrEqual(published.length - events.length);
    const [{ generation }] = await dataSource.query(`SELECT generation FROM reporting_current`);
    expect(generation).toBe(2);

    const allCounters = (schema: string) =>
      `SELECT unit_code, day, metric, dim1, dim2, dim3, value FROM "${schema}".daily_counter`;
    expect(await differences(dataSource, allCounters('reporting_g2'), allCounters('reporting_g1'))).toEqual({
      onlyLeft: [],
      onlyRight: [],
    });
    const allStates = (schema: string) =>
      `SELECT dossier_id, unit_code, status, last_sequence, due_at, resolved_at, procedure_code, channel, online_level, received_at
       FROM "${schema}".dossier_state`;
    expect(await differences(dataSource, allStates('reporting_g2'), allStates('reporting_g1'))).toEqual({
      onlyLeft: [],
      onlyRight: [],
    });
    expect(
      await differences(dataSource, projectedCountersSql('reporting_g2'), RECOMPUTED_COUNTERS_SQL),
    ).toEqual({
      onlyLeft: [],
      onlyRight: [],
    });
  });
});
