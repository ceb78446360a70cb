import type { CloudEvent } from '@backbone/contracts';
import type { EntityManager } from 'typeorm';
import {
  EventIdConflictError,
  type EventContext,
  type IncomingRecord,
  InboxProcessor,
  parseRecord,
  pruneInbox,
} from '../src';
import { orderPlaced, setUpTestDb, type TestDb } from './support';

function recordOf(
  event: CloudEvent,
  partition: number,
  offset: number,
  value = JSON.stringify(event),
): IncomingRecord {
  return {
    topic: 'test.inbox.v1',
    partition,
    offset: String(offset),
    key: event.subject,
    value: Buffer.from(value),
    headers: {},
    timestamp: '0',
  };
}

describe('inbox: one statement per run, positions for batch handlers, retention', () => {
  let db: TestDb;

  beforeAll(async () => {
    db = await setUpTestDb('messaging_inbox');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('applies each event once, passes each fresh event its position, and detects a conflicting payload', async () => {
    const calls: { ids: string[]; positions: EventContext[] }[] = [];
    const processor = new InboxProcessor(db.dataSource, 'inbox-test', {
      async handleBatch(events: CloudEvent[], _manager: EntityManager, positions: EventContext[]) {
        calls.push({ ids: events.map((e) => e.id), positions });
      },
    });
    const events = [orderPlaced('order-1', 1), orderPlaced('order-1', 2), orderPlaced('order-2', 1)];
    const first = events.map((event, i) => parseRecord(recordOf(event, 3, 10 + i)));

    expect(await processor.apply(first.slice(0, 2))).toEqual({ applied: 2, duplicates: 0 });
    // The first two again (redelivered), then one new, and a repeat of it inside the same run.
    const again = [...first, parseRecord(recordOf(events[2]!, 3, 13))];
    expect(await processor.apply(again)).toEqual({ applied: 1, duplicates: 3 });

    expect(calls).toEqual([
      {
        ids: [events[0]!.id, events[1]!.id],
        positions: [
          { topic: 'test.inbox.v1', partition: 3, offset: '10' },
          { topic: 'test.inbox.v1', partition: 3, offset: '11' },
        ],
      },
      { ids: [events[2]!.id], positions: [{ topic: 'test.inbox.v1', partition: 3, offset: '12' }] },
    ]);

    // The same id with another payload: a conflict at its index, and nothing of the run is recorded.
    const fresh = orderPlaced('order-3', 1);
    const tampered = JSON.stringify({ ...events[1]!, data: { ...events[1]!.data, amountVnd: 1 } });
    const conflicting = [
      parseRecord(recordOf(fresh, 3, 20)),
      parseRecord(recordOf(events[1]!, 3, 21, tampered)),
    ];
    const error = await processor.apply(conflicting).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventIdConflictError);
    expect((error as EventIdConflictError).index).toBe(1);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [
      fresh.id,
    ]);
    expect(n).toBe(0);

    // Inside one run: a repeat with another payload is a conflict too.
    const inRun = [
      parseRecord(recordOf(fresh, 3, 20)),
      parseRecord(recordOf(fresh, 3, 21, JSON.stringify({ ...fresh, time: new Date(0).toISOString() }))),
    ];
    const inRunError = await processor.apply(inRun).catch((e: unknown) => e);
    expect((inRunError as EventIdConflictError).index).toBe(1);
  });

  it('retention deletes old rows but keeps the newest row of every group, topic and partition', async () => {
    await db.dataSource.query(`DELETE FROM inbox`);
    // Group g1: partition 0 old rows at offsets 0..9, partition 1 old rows 0..4 then recent 5..6;
    // group g2: partition 0, one old row. Old = processed two days ago.
    const rows: [string, string, number, number, boolean][] = [];
    for (let o = 0; o < 10; o += 1) rows.push(['g1', 't', 0, o, true]);
    for (let o = 0; o < 5; o += 1) rows.push(['g1', 't', 1, o, true]);
    for (let o = 5; o < 7; o += 1) rows.push(['g1', 't', 1, o, false]);
    rows.push(['g2', 't', 0, 3, true]);
    rows.push(['g1', 'u', 0, 42, true]);
    await db.dataSource.query(
      `INSERT INTO inbox (consumer_group, event_id, payload_hash, event_type, topic, kafka_partition, kafka_offset, processed_at)
       SELECT g, gen_random_uuid(), repeat('0', 64), 'test-order.placed.v1', t, p, o,
              CASE WHEN old THEN now() - interval '2 days' ELSE now() END
       FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::boolean[]) AS r(g, t, p, o, old)`,
      [
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        rows.map((r) => r[2]),
        rows.map((r) => r[3]),
        rows.map((r) => r[4]),
      ],
    );
    const livePosition = `SELECT consumer_group, topic, kafka_partition, max(kafka_offset)::text AS last
                          FROM inbox GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    const before = await db.dataSource.query(livePosition);

    // Small chunks: the loop must reach the same end state as one big statement.
    const deleted = await pruneInbox(db.dataSource, { retentionMs: 24 * 3_600_000, chunkSize: 3 });

    const left: { consumer_group: string; topic: string; kafka_partition: number; kafka_offset: string }[] =
      await db.dataSource.query(
        `SELECT consumer_group, topic, kafka_partition, kafka_offset::text FROM inbox ORDER BY 1, 2, 3, 4`,
      );
    expect(left.map((r) => `${r.consumer_group}/${r.topic}/${r.kafka_partition}@${r.kafka_offset}`)).toEqual([
      'g1/t/0@9', // all old: the newest stays
      'g1/t/1@5', // recent rows stay
      'g1/t/1@6',
      'g1/u/0@42',
      'g2/t/0@3',
    ]);
    expect(deleted).toBe(rows.length - left.length);
    expect(await db.dataSource.query(livePosition)).toEqual(before);

    // Nothing more to do: a second run deletes nothing.
    expect(await pruneInbox(db.dataSource, { retentionMs: 24 * 3_600_000 })).toBe(0);
  });
});
