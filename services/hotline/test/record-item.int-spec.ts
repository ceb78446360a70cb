import { HOTLINE_MIGRATIONS } from '../src/database';
import { readTopicUntil, uniqueName } from '@backbone/testing';
import { eventsOf, type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { HotlineConfig } from '../src/config';

const WARD_A = '00070'; // Phường Hoàn Kiếm
const WARD_B = '00103'; // Phường Tây Hồ

describe('hotline: record an item (real PostgreSQL and Kafka)', () => {
  let t: ServiceTestApp<HotlineConfig>;
  const topic = uniqueName('test_hotline_events');

  beforeAll(async () => {
    t = await startServiceTestApp({
      serviceName: 'hotline',
      configSchema: HotlineConfig,
      module: (config) => AppModule.forRoot(config),
      topics: [{ topic, numPartitions: 3 }],
      env: { HOTLINE_EVENTS_TOPIC: topic, HOTLINE_EVENTS_PARTITIONS: '3' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (token: string | undefined, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify(body),
    });

  it('stores the item, audits it and publishes hotline-item.recorded.v1 through the outbox', async () => {
    const officer = await t.token('officer-a', ['officer'], [WARD_A]);
    const created = await post(officer, { unitCode: WARD_A, title: 'First item' });
    expect(created.statusCode).toBe(201);
    const item = created.json() as { id: string; unitCode: string };
    expect(item.unitCode).toBe(WARD_A);

    const records = await readTopicUntil(topic, (all) => {
      if (!all.some((record) => record.key === item.id)) throw new Error('event not published yet');
    });
    const [event] = eventsOf(records.filter((record) => record.key === item.id));
    expect(event).toMatchObject({
      type: 'hotline-item.recorded.v1',
      subject: item.id,
      unitcode: WARD_A,
      data: { itemId: item.id },
    });

    const sql = new Client({ connectionString: t.database.url });
    await sql.connect();
    try {
      const audit = await sql.query(
        `SELECT action, outcome, unit_code FROM platform_audit_log WHERE target_id = $1`,
        [item.id],
      );
      expect(audit.rows).toEqual([
        { action: 'hotline.item.record', outcome: 'succeeded', unit_code: WARD_A },
      ]);
      const applied = await sql.query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.rows.map((row: { name: string }) => row.name)).toEqual(
        expect.arrayContaining(HOTLINE_MIGRATIONS.map((migration) => migration.name)),
      );
    } finally {
      await sql.end();
    }

    const read = await t.app.inject({
      method: 'GET',
      url: `/items/${item.id}`,
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(read.statusCode).toBe(200);
  });

  it('keeps units apart and refuses anonymous callers', async () => {
    const officerA = await t.token('officer-a', ['officer'], [WARD_A]);
    const officerB = await t.token('officer-b', ['officer'], [WARD_B]);
    expect((await post(undefined, { unitCode: WARD_A, title: 'x' })).statusCode).toBe(401);
    expect((await post(officerB, { unitCode: WARD_A, title: 'x' })).statusCode).toBe(403);

    const item = (await post(officerA, { unitCode: WARD_A, title: 'Only for ward A' })).json() as {
      id: string;
    };
    const read = await t.app.inject({
      method: 'GET',
      url: `/items/${item.id}`,
      headers: { authorization: `Bearer ${officerB}` },
    });
    expect(read.statusCode).toBe(404);
  });

  it('rejects an invalid body with problem details', async () => {
    const officer = await t.token('officer-a', ['officer'], [WARD_A]);
    const invalid = await post(officer, { unitCode: 'not a unit', title: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const dueOn of ['2026-02-30', '10000-01-01', '2026-07-15T00:00:00Z'])
      expect((await post(officer, { unitCode: WARD_A, title: 'Due', dueOn })).statusCode).toBe(400);
    const due = await post(officer, { unitCode: WARD_A, title: 'Due', dueOn: '2026-07-15' });
    expect(due.statusCode).toBe(201);
    expect(due.json()).toMatchObject({ dueOn: '2026-07-15' });
  });
});
