// The PostgreSQL half of the floor: only the rows the design requires for each event — the outbox
// insert (in the writers' transactions), its publish mark, the inbox insert and the projection
// upsert (in the consumer's batches) — sent by one plain `pg` connection into the messaging tables,
// with everything else (events, payloads, hashes, positions) prepared before the clock starts.
import { createHash } from 'node:crypto';
import type { CloudEvent } from '@backbone/contracts';
import { Client } from 'pg';
import { laneOf } from '../../libs/messaging/src';
import { processCpuMs } from '../support/cpu';

export interface RequiredRowsCpu {
  /** CPU ms of the PostgreSQL backend and of the client process (the pg driver). */
  postgresMs: number;
  clientMs: number;
}

export async function requiredRowsCpu(options: {
  databaseUrl: string;
  events: CloudEvent[];
  topic: string;
  /** Events per outbox transaction (as the pipeline's writers), per publish mark, per consumer batch. */
  txSize: number;
  publishBatch: number;
  consumerBatch: number;
}): Promise<RequiredRowsCpu> {
  const { events, topic } = options;
  const payloads = events.map((event) => JSON.stringify(event));
  const hashes = payloads.map((payload) => createHash('sha256').update(payload).digest('hex'));
  const chunks = <T>(items: T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
  const indexes = events.map((_, i) => i);

  const client = new Client({ connectionString: options.databaseUrl, application_name: 'bench-floor' });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0].pid;
    const backendStart = processCpuMs(backend) ?? 0;
    const ownStart = process.cpuUsage();

    const positions: string[] = [];
    for (const tx of chunks(indexes, options.txSize)) {
      const inserted = await client.query<{ position: string }>(
        `INSERT INTO outbox (event_id, topic, message_key, lane, event_type, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[])
         RETURNING position`,
        [
          tx.map((i) => events[i].id),
          tx.map(() => topic),
          tx.map((i) => events[i].subject),
          tx.map((i) => laneOf(events[i].subject)),
          tx.map((i) => events[i].type),
          tx.map((i) => payloads[i]),
        ],
      );
      positions.push(...inserted.rows.map((row) => row.position));
    }
    for (const batch of chunks(positions, options.publishBatch))
      await client.query(`UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])`, [
        batch,
      ]);
    for (const batch of chunks(indexes, options.consumerBatch)) {
      const counts = new Map<string, number>();
      for (const i of batch) counts.set(events[i].subject, (counts.get(events[i].subject) ?? 0) + 1);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO inbox (consumer_group, event_id, payload_hash, event_type, topic, kafka_partition, kafka_offset)
         SELECT 'bench-floor', * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])`,
        [
          batch.map((i) => events[i].id),
          batch.map((i) => hashes[i]),
          batch.map((i) => events[i].type),
          batch.map(() => topic),
          batch.map(() => 0),
          batch,
        ],
      );
      await client.query(
        `INSERT INTO bench_projection (key, events) SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (key) DO UPDATE SET events = bench_projection.events + EXCLUDED.events`,
        [[...counts.keys()], [...counts.values()]],
      );
      await client.query('COMMIT');
    }

    const own = process.cpuUsage(ownStart);
    return {
      postgresMs: (processCpuMs(backend) ?? backendStart) - backendStart,
      clientMs: (own.user + own.system) / 1000,
    };
  } finally {
    await client.end();
  }
}
