import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { dlqTopicFor, EVENT_HEADERS } from '@backbone/contracts';
import type { IHeaders } from 'kafkajs';
import { repoRoot } from '../../infra/paths';
import { type FaultStack, hasTable, withClient } from './fault-stack';
import { type OutboxRow, readOutboxAndTopics } from './outbox-snapshot';
import { signToken } from './tokens';

const run = promisify(execFile);

/** One record as the oracle reads it back from a topic. */
export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  eventId?: string;
  eventType?: string;
  key?: string;
  /** The record's timestamp (ms since the epoch, as a string). */
  timestamp: string;
  headers: Record<string, string>;
}

/** What a scenario did on purpose, so the oracle expects it. */
export interface Expected {
  /** Ids of records published by the scenario itself that no service wrote (poison). */
  poisonIds?: string[];
  /** Extra copies of existing events the scenario published (duplicate delivery), by event id. */
  injectedCopies?: Map<string, number>;
  /**
   * The fault can interrupt a relay between Kafka's acknowledgement of a batch and the outbox
   * marking it (the relay killed, or its broker or database connection cut): the batch is published
   * again (at least once, ADR 0003). Such copies are counted (`duplicated`) and must each be applied
   * once; without such a fault there must be none.
   */
  publishInterrupted?: boolean;
}

export interface Verdict {
  requestsAccepted: number;
  /** Events the services wrote to their outboxes during the scenario. */
  events: number;
  /** Accepted writes missing from their database + outbox events missing on Kafka + events not applied. */
  lost: number;
  /** Copies beyond the first of a service's event on Kafka (the relay's at-least-once window). */
  duplicated: number;
  /** Events a projection counted twice (reporting over the source in the reconciliation). */
  appliedTwice: number;
  deadLettered: number;
  reconcileDifferences: number | null;
  /** Every violated rule, one line each: empty when the scenario passed. */
  problems: string[];
  /** What the oracle saw on its way that is worth a line in the results (not a failure). */
  notes: string[];
  deadLetterReasons: Record<string, string>;
}

export async function readTopics(stack: FaultStack, topics: string[]): Promise<ReadRecord[]> {
  const admin = await stack.kafkaAdmin();
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length === 0) return [];
  const ends = new Map<string, Map<number, bigint>>();
  let total = 0n;
  for (const topic of present) {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends.set(topic, new Map(offsets.map((o) => [o.partition, BigInt(o.high)])));
    for (const o of offsets) total += BigInt(o.high) - BigInt(o.low);
  }
  if (total === 0n) return [];
  const records: ReadRecord[] = [];
  const consumer = stack.kafkaClient.consumer({
    groupId: `faults-oracle-${Math.random().toString(36).slice(2)}`,
    sessionTimeout: 30_000,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: present, fromBeginning: true });
    const remaining = new Set<string>();
    for (const [topic, partitions] of ends)
      for (const [partition, high] of partitions) if (high > 0n) remaining.add(`${topic}/${partition}`);
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    if (remaining.size === 0) finish();
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers = headersOf(message.headers);
        records.push({
          topic,
          partition,
          offset: message.offset,
          timestamp: message.timestamp,
          ...(message.key ? { key: message.key.toString('utf8') } : {}),
          headers,
          ...(headers[EVENT_HEADERS.id] ? { eventId: headers[EVENT_HEADERS.id] } : {}),
          ...(headers[EVENT_HEADERS.type] ? { eventType: headers[EVENT_HEADERS.type] } : {}),
        });
        if (BigInt(message.offset) + 1n >= (ends.get(topic)?.get(partition) ?? 0n)) {
          remaining.delete(`${topic}/${partition}`);
          if (remaining.size === 0) finish();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${present.join(', ')} took over 120 s`)), 120_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return records;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    result[name] = (Array.isArray(value) ? value[0] : value)?.toString('utf8') ?? '';
  }
  return result;
}

/** Every outbox row of every service database: event id, topic, and whether the relay published it. */
export async function sourceEvents(stack: FaultStack): Promise<OutboxRow[]> {
  const events: OutboxRow[] = [];
  for (const service of stack.services)
    await withClient(service.databaseUrl, async (client) => {
      if (!(await hasTable(client, 'outbox'))) return;
      const { rows } = await client.query<{ id: string; topic: string; published: boolean }>(
        `SELECT event_id::text AS id, topic, published_at IS NOT NULL AS published FROM outbox`,
      );
      for (const row of rows) events.push({ ...row, service: service.name });
    });
  return events;
}

/**
 * Waits (bounded) until the stack has caught up: no outbox row waits, every group is at the end of
 * what it committed on, and reporting's inbox holds as many events as the producers wrote to the
 * topics it reads (less what it parked). Returns the milliseconds it took (null on timeout) and,
 * on timeout, what was still behind at the last look.
 */
export async function waitCaughtUp(
  stack: FaultStack,
  timeoutMs: number,
): Promise<{ ms: number | null; behind: string }> {
  const started = Date.now();
  const consumed = new Set(stack.consumedTopics);
  let behind = 'nothing looked at yet';
  for (;;) {
    try {
      const events = await sourceEvents(stack);
      const pending = new Map<string, number>();
      for (const event of events)
        if (!event.published) pending.set(event.service, (pending.get(event.service) ?? 0) + 1);
      const lag = await stack.consumerLag();
      const lagging = Object.entries(lag).filter(([, n]) => n > 0);
      if (pending.size > 0 || lagging.length > 0)
        throw new Error(
          [
            ...[...pending].map(([service, n]) => `${service}: ${n} outbox row(s) not relayed`),
            ...lagging.map(([group, n]) => `group ${group}: ${n} record(s) behind`),
          ].join('; '),
        );
      if (stack.has('reporting')) {
        const reporting = stack.service('reporting');
        const written = events.filter((e) => consumed.has(e.topic)).length;
        const applied = await withClient(reporting.databaseUrl, async (client) => {
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM inbox WHERE consumer_group = $1`,
            [reporting.group],
          );
          return rows[0]!.n;
        });
        if (applied < written) throw new Error(`reporting has applied ${applied} of ${written} events`);
      }
      return { ms: Date.now() - started, behind: '' };
    } catch (error) {
      // broker or database still coming back, or not caught up yet
      behind = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started > timeoutMs) return { ms: null, behind };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

interface AcceptedLine {
  url: string;
  status: number;
  id?: string;
  version?: number;
}

/**
 * The one oracle every scenario ends with (run once the stack caught up):
 * 1. every accepted (2xx) write is in its source database (the resource's row, at least at the
 *    version the answer gave);
 * 2. every outbox row is on Kafka, once per event id (extra copies only where a relay was killed,
 *    or the scenario published them itself), and nothing else is;
 * 3. reporting applied every event of the topics it reads exactly once (its inbox, keyed by event
 *    id) or parked it, and its figures equal the dossier service's own SQL counts (the
 *    reconciliation CLI: 0 differences);
 * 4. the dead letters hold exactly the scenario's poison, each with its reason.
 */
export async function applyOracle(
  stack: FaultStack,
  acceptedLog: string,
  expected: Expected = {},
  /** False when the stack never caught up: rows still pending then are lost, not "being written". */
  caughtUp = true,
): Promise<Verdict> {
  const problems: string[] = [];
  const notes: string[] = [];
  let lost = 0;

  // 1. Accepted writes.
  const accepted = readAccepted(acceptedLog);
  const byService = new Map<string, Map<string, { table: string; version: number }>>();
  for (const line of accepted) {
    if (!line.id) continue;
    const url = new URL(line.url);
    const service = stack.services.find((s) => s.instances.some((i) => String(i.port) === url.port));
    if (!service) continue;
    const table = url.pathname.split('/')[1] ?? '';
    const ids = byService.get(service.name) ?? new Map<string, { table: string; version: number }>();
    const seen = ids.get(line.id);
    ids.set(line.id, { table, version: Math.max(seen?.version ?? 0, line.version ?? 0) });
    byService.set(service.name, ids);
  }
  for (const [name, ids] of byService) {
    await withClient(stack.service(name).databaseUrl, async (client) => {
      const tables = new Set([...ids.values()].map((v) => v.table));
      for (const table of tables) {
        if (!/^[a-z_]+$/.test(table) || !(await hasTable(client, table))) {
          problems.push(`${name}: accepted writes to /${table} have no table "${table}" to check them in`);
          continue;
        }
        const wanted = [...ids.entries()].filter(([, v]) => v.table === table);
        const { rows } = await client.query<{ id: string; version: number | null }>(
          `SELECT id::text AS id, ${(await hasColumn(client, table, 'version')) ? 'version' : 'NULL::int AS version'}
             FROM ${table} WHERE id::text = ANY($1::text[])`,
          [wanted.map(([id]) => id)],
        );
        const found = new Map(rows.map((r) => [r.id, r.version]));
        for (const [id, { version }] of wanted) {
          const stored = found.get(id);
          if (stored === undefined) {
            lost += 1;
            if (lost <= 5) problems.push(`${name}: accepted ${table}/${id} is not in its database`);
          } else if (stored !== null && stored < version) {
            lost += 1;
            if (lost <= 5)
              problems.push(`${name}: ${table}/${id} is at version ${stored}, ${version} was accepted`);
          }
        }
      }
    });
  }

  // 2. Outbox rows on Kafka, once each.
  // Both as of one moment: a row written and published between two separate reads would look like
  // a record no outbox row wrote (outbox-snapshot.ts).
  const read = await readOutboxAndTopics(
    () => sourceEvents(stack),
    () => readTopics(stack, stack.eventTopics),
    { attempts: caughtUp ? 10 : 1 },
  );
  if (!read.settled && caughtUp)
    problems.push(
      `the services were still writing events while the oracle read the outbox and the topics (${read.unsettledRows} row(s) pending, new or gone each time)`,
    );
  if (read.attempts > 1)
    notes.push(
      `the oracle read the outbox and the topics ${read.attempts} times: rows were still being written (${read.lateRows
        .slice(0, 5)
        .map((row) => `${row.service} ${row.topic} ${row.id}${row.published ? '' : ' pending'}`)
        .join(', ')})`,
    );
  const { source, records } = read;
  const copies = new Map<string, number>();
  for (const record of records)
    if (record.eventId) copies.set(record.eventId, (copies.get(record.eventId) ?? 0) + 1);
  const sourceIds = new Set(source.map((e) => e.id));
  const poison = new Set(expected.poisonIds ?? []);
  let missingOnKafka = 0;
  const missingBy = new Map<string, number>();
  const missingIds: string[] = [];
  let duplicated = 0;
  for (const event of source) {
    const n = copies.get(event.id) ?? 0;
    const injected = expected.injectedCopies?.get(event.id) ?? 0;
    if (n === 0) {
      missingOnKafka += 1;
      const where = `${event.service}${event.published ? ' (marked published)' : ' (not relayed)'}`;
      missingBy.set(where, (missingBy.get(where) ?? 0) + 1);
      missingIds.push(`${event.service} ${event.topic} ${event.id}`);
    } else if (n - injected > 1) duplicated += n - injected - 1;
  }
  if (missingOnKafka > 0)
    problems.push(
      `${missingOnKafka} outbox event(s) never reached Kafka: ${[...missingBy].map(([where, n]) => `${where} ${n}`).join(', ')} (${missingIds.slice(0, 5).join('; ')})`,
    );
  lost += missingOnKafka;
  if (duplicated > 0 && !expected.publishInterrupted)
    problems.push(`${duplicated} extra copies of events on Kafka, and nothing interrupted a relay`);
  const strangers = records.filter(
    (r) => !r.eventId || (!sourceIds.has(r.eventId) && !poison.has(r.eventId)),
  );
  if (strangers.length > 0)
    problems.push(
      `${strangers.length} record(s) on the topics that no outbox row and no scenario step wrote: ${strangers
        .slice(0, 5)
        .map(describeRecord)
        .join('; ')}`,
    );

  // 4. Dead letters (read before 3: a parked event is not lost).
  const dlqTopics = stack.services.map((s) => dlqTopicFor(s.group));
  const deadLetters = await readTopics(stack, dlqTopics);
  const deadLetterReasons: Record<string, string> = {};
  const parkedByReporting = new Set<string>();
  for (const letter of deadLetters) {
    const id = letter.eventId ?? letter.headers['dlq-original-offset'] ?? '?';
    deadLetterReasons[`${letter.topic}:${id}`] = letter.headers['dlq-error-reason'] ?? 'no reason header';
    if (!letter.eventId || !poison.has(letter.eventId))
      problems.push(
        `unexpected dead letter in ${letter.topic}: ${letter.eventType ?? '?'} ${letter.eventId ?? ''} (${letter.headers['dlq-error-reason']}: ${letter.headers['dlq-error-message']})`,
      );
    if (
      stack.has('reporting') &&
      letter.topic === dlqTopicFor(stack.service('reporting').group) &&
      letter.eventId
    )
      parkedByReporting.add(letter.eventId);
  }

  // 3. Reporting applied each event once, and its figures reconcile with the source.
  let appliedTwice = 0;
  let reconcileDifferences: number | null = null;
  if (stack.has('reporting')) {
    const reporting = stack.service('reporting');
    const consumed = new Set(stack.consumedTopics);
    const inbox = await withClient(reporting.databaseUrl, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `SELECT event_id::text AS id FROM inbox WHERE consumer_group = $1`,
        [reporting.group],
      );
      return new Set(rows.map((r) => r.id));
    });
    let notApplied = 0;
    for (const event of source)
      if (consumed.has(event.topic) && !inbox.has(event.id) && !parkedByReporting.has(event.id))
        notApplied += 1;
    if (notApplied > 0) problems.push(`${notApplied} event(s) reporting never applied nor parked`);
    lost += notApplied;
    for (const id of poison)
      if (!parkedByReporting.has(id))
        problems.push(`poison ${id} was not parked in ${dlqTopicFor(reporting.group)}`);

    if (stack.has('dossier')) {
      const result = await reconcile(stack);
      reconcileDifferences = result.differences;
      appliedTwice = result.overCounted;
      if (result.differences !== 0)
        problems.push(`reconciliation: ${result.differences} difference(s)\n${result.output.trim()}`);
    }
  }

  return {
    requestsAccepted: accepted.length,
    events: source.length,
    lost,
    duplicated,
    appliedTwice,
    deadLettered: deadLetters.length,
    reconcileDifferences,
    problems,
    notes,
    deadLetterReasons,
  };
}

/** One record for a problem line: where it is, what it says it is, when it was written. */
function describeRecord(record: ReadRecord): string {
  return `${record.topic}[${record.partition}]@${record.offset} ${record.eventType ?? 'no type header'} ${
    record.eventId ?? 'no id header'
  } key ${record.key ?? '-'} at ${new Date(Number(record.timestamp)).toISOString()}`;
}

function readAccepted(file: string): AcceptedLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AcceptedLine)
    .filter((line) => line.status >= 200 && line.status < 300);
}

async function hasColumn(client: import('pg').Client, table: string, column: string): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return (rowCount ?? 0) > 0;
}

/** Hanoi's calendar day of `date` (YYYY-MM-DD). */
function hanoiDay(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(date);
}

/**
 * The reporting service's reconciliation CLI (services/reporting/src/reconcile), built as it ships:
 * reporting's counts per unit against the dossier service's own SQL counts (`GET /dossiers/stats`),
 * over the days the load ran (Hanoi yesterday to tomorrow).
 */
export async function reconcile(
  stack: FaultStack,
): Promise<{ differences: number; overCounted: number; output: string }> {
  const cli = resolve(repoRoot, 'services', 'reporting', 'dist', 'reconcile', 'reconcile.cli.js');
  const day = 86_400_000;
  const from = hanoiDay(new Date(Date.now() - day));
  const to = hanoiDay(new Date(Date.now() + day));
  let output = '';
  try {
    const result = await run(process.execPath, [cli, '--from', from, '--to', to], {
      cwd: resolve(repoRoot, 'services', 'reporting'),
      env: {
        ...process.env,
        DATABASE_URL: stack.service('reporting').databaseUrl,
        DOSSIER_API_URL: stack.service('dossier').baseUrl,
        RECONCILE_TOKEN: signToken(stack.options.keys, ['auditor']),
      },
    });
    output = result.stdout;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    if (failed.code !== 1) throw new Error(`reconcile could not compare: ${output}`);
  }
  const summary = /(\d+) difference\(s\)/.exec(output);
  if (!summary) throw new Error(`reconcile printed no summary: ${output}`);
  let overCounted = 0;
  for (const match of output.matchAll(/dossier service (\d+), reporting (\d+)/g))
    overCounted += Math.max(0, Number(match[2]) - Number(match[1]));
  return { differences: Number(summary[1]), overCounted, output };
}
