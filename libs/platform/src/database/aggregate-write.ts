import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import {
  claimFromRow,
  IDEMPOTENCY_CLAIM_COLUMNS,
  idempotencyClaimStatements,
  idempotencyCompletionStatement,
  type PendingIdempotencyKey,
  refuseUnlessClaimed,
} from '../idempotency/idempotency-in-statement';
import { combineStatements, executeStatement, type SqlStatement } from './statements';

/**
 * The aggregate write: a state change of one row in two statements that each commit by
 * themselves, with every guarantee of a locked read-decide-write transaction:
 *
 *   1. readForChange: the row as it is (and its row version, PostgreSQL's `xmin`), with the
 *      request's Idempotency-Key claimed in the same statement when it sent one;
 *   2. the caller's rule decides on that row (it may refuse: nothing was written but the claim,
 *      which the idempotency interceptor releases);
 *   3. writeChange: ONE statement that updates the row only if it is still the version that was
 *      read (`WHERE id = … AND xmin = …`: the UPDATE takes the row lock, and a concurrent change
 *      that committed first makes it match nothing), and, guarded by that update, inserts the
 *      change's other rows (history, outbox, audit record) and stores the response with the key.
 *      It returns false when the row changed meanwhile: nothing was written; read again and decide
 *      again (or answer 409).
 *
 * Instead of BEGIN, SELECT … FOR UPDATE, the ORM's UPDATE, one INSERT each, COMMIT, and the key's
 * INSERT before and UPDATE after: 2 statements, 2 round trips, 2 commits (WAL flushes) where there
 * were 10 and more. The row is never locked while the service thinks, so a slow rule never holds
 * other writers of the row.
 */
export interface ReadForChange<E> {
  /** The row, or undefined when there is none with this id. */
  row?: RowForChange<E>;
}

/** A row read for a change: the entity to change, its row version, and its values as read. */
export interface RowForChange<E> {
  entity: E;
  /** PostgreSQL's `xmin` of the row version read: any later update of the row changes it. */
  rowVersion: string;
  /** The entity's column values as read, to find what the rule changed. */
  readonly asRead: ReadonlyMap<string, unknown>;
}

interface ReadOptions {
  /** Claim this Idempotency-Key in the same statement (the first attempt of a request only). */
  idempotency?: PendingIdempotencyKey;
}

/** Read texts by table and whether a key is claimed with it: built once. */
const readTexts = new Map<string, string>();

/**
 * Statement 1: the row by primary key, as an entity, with its row version; with a claim, the
 * request's Idempotency-Key is claimed first and the row is read only if the claim succeeded
 * (otherwise this throws IdempotentReplay or the 409 of a reused or running key).
 */
export async function readForChange<E extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<E>,
  id: unknown,
  options: ReadOptions = {},
): Promise<ReadForChange<E>> {
  const metadata = dataSource.getMetadata(target);
  const idColumn = primaryColumnOf(metadata);
  const pending = options.idempotency;
  const textKey = `${metadata.tableName}|${pending ? 'claim' : 'plain'}`;
  let statement: SqlStatement;
  if (!pending) {
    let sql = readTexts.get(textKey);
    if (sql === undefined) {
      sql = `SELECT t.*, t.xmin::text AS aggregate_row_version FROM "${metadata.tableName}" t WHERE t."${idColumn}" = $1`;
      readTexts.set(textKey, sql);
    }
    statement = { sql, params: [id] };
  } else {
    const claim = idempotencyClaimStatements(pending);
    let last = readTexts.get(textKey);
    if (last === undefined) {
      // The key's params come first ($1..$4 of the claim, renumbered by combineStatements), so the
      // id is the last one: $1 here, renumbered after them.
      last = `SELECT ${IDEMPOTENCY_CLAIM_COLUMNS}, t.*, t.xmin::text AS aggregate_row_version
        FROM (SELECT 1) AS one
        LEFT JOIN "${metadata.tableName}" t ON t."${idColumn}" = $1 AND EXISTS (SELECT 1 FROM idempotency_claim)`;
      readTexts.set(textKey, last);
    }
    statement = combineStatements([...claim, { sql: last, params: [id] }]);
  }
  const rows = await executeStatement<Record<string, unknown>>(dataSource, statement);
  const raw = rows[0];
  if (pending && raw) {
    const claim = claimFromRow(pending, raw);
    if (claim.kind === 'claimed') pending.claimed = true;
    refuseUnlessClaimed(claim);
  }
  if (!raw || raw.aggregate_row_version === null || raw.aggregate_row_version === undefined) return {};
  return { row: hydrate(dataSource, metadata, raw) };
}

export interface WriteChangeOptions {
  /**
   * The change's other rows, each a single-row `INSERT INTO t (…) VALUES (…)` (insertStatement,
   * outboxInsertStatement for one event, the audit trail's prepareRecord): each is sent as
   * `INSERT … SELECT … FROM <the update>`, so it is written only if the row was.
   */
  alongside: SqlStatement[];
  /** Store the response with the change (the key readForChange claimed). */
  idempotency?: { pending: PendingIdempotencyKey; status: number; body: string | null };
}

/**
 * Statement 2: the entity's changed columns, guarded by the row version read, with the change's
 * other rows and the idempotent response. True when written; false when the row had changed
 * since it was read (nothing written).
 */
export async function writeChange<E extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<E>,
  row: RowForChange<E>,
  options: WriteChangeOptions,
): Promise<boolean> {
  const statement = writeChangeStatement(dataSource, target, row, options);
  const rows = await executeStatement<{ changed: number }>(dataSource, statement);
  const written = (rows[0]?.changed ?? 0) > 0;
  if (written && options.idempotency) options.idempotency.pending.completed = true;
  return written;
}

const GUARD = 'aggregate_changed';

export function writeChangeStatement<E extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<E>,
  row: RowForChange<E>,
  options: WriteChangeOptions,
): SqlStatement {
  const metadata = dataSource.getMetadata(target);
  const driver = dataSource.driver;
  const idColumn = primaryColumnOf(metadata);
  const assignments: string[] = [];
  const params: unknown[] = [];
  for (const column of metadata.columns) {
    if (column.isPrimary || !column.isUpdate) continue;
    const value = column.getEntityValue(row.entity);
    if (sameValue(value, row.asRead.get(column.propertyName))) continue;
    params.push(driver.preparePersistentValue(value, column));
    assignments.push(`"${column.databaseName}" = $${params.length}`);
  }
  // Nothing of the row itself changed (e.g. only rows beside it): still guard on the version read,
  // by "updating" the id to itself, so that the rows beside it follow the same rule.
  if (assignments.length === 0) assignments.push(`"${idColumn}" = "${idColumn}"`);
  params.push(row.entity[primaryPropertyOf(metadata)], row.rowVersion);
  const update: SqlStatement = {
    name: GUARD,
    sql: `UPDATE "${metadata.tableName}" SET ${assignments.join(', ')}
      WHERE "${idColumn}" = $${params.length - 1} AND xmin = $${params.length}::text::xid RETURNING 1`,
    params,
  };
  const guarded = options.alongside.map(guardedInsert);
  if (options.idempotency) {
    const { pending, status, body } = options.idempotency;
    guarded.push(idempotencyCompletionStatement(pending, status, body, GUARD));
  }
  return combineStatements([
    update,
    ...guarded,
    { sql: `SELECT count(*)::int AS changed FROM ${GUARD}`, params: [] },
  ]);
}

/** Guarded texts by the INSERT's text: built once. */
const guardedTexts = new Map<string, string>();

/**
 * `INSERT INTO t (…) VALUES (<values>)` → `INSERT INTO t (…) SELECT <values> FROM aggregate_changed`:
 * no row when the update matched none. (PostgreSQL types the parameters of an INSERT … SELECT from
 * the target columns, as for VALUES.)
 */
export function guardedInsert(statement: SqlStatement): SqlStatement {
  let sql = guardedTexts.get(statement.sql);
  if (sql === undefined) {
    const match = /^\s*(INSERT\s+INTO\s+[^(]+\([^)]*\))\s*VALUES\s*\(/i.exec(statement.sql);
    if (!match) throw new Error(`not a single-row INSERT … VALUES (…): ${statement.sql.slice(0, 80)}`);
    const open = match[0].length - 1;
    const close = matchingParenthesis(statement.sql, open);
    if (statement.sql.slice(close + 1).trim() !== '') {
      throw new Error('guardedInsert takes one row per INSERT (one statement per event)');
    }
    sql = `${match[1]} SELECT ${statement.sql.slice(open + 1, close)} FROM ${GUARD}`;
    if (guardedTexts.size < 500) guardedTexts.set(statement.sql, sql);
  }
  return { sql, params: statement.params, ...(statement.name ? { name: statement.name } : {}) };
}

function matchingParenthesis(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i += 1) {
    const char = sql[i];
    if (char === "'") throw new Error('guardedInsert: literals are not supported, use parameters');
    if (char === '(') depth += 1;
    if (char === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error('guardedInsert: unbalanced parentheses');
}

function primaryColumnOf(metadata: EntityMetadata): string {
  if (metadata.primaryColumns.length !== 1) {
    throw new Error(`aggregate write needs a single-column primary key (${metadata.tableName})`);
  }
  return metadata.primaryColumns[0]!.databaseName;
}

function primaryPropertyOf(metadata: EntityMetadata): string {
  return metadata.primaryColumns[0]!.propertyName;
}

/** The entity from a raw row (column names as in the table), as TypeORM would hydrate it. */
function hydrate<E extends ObjectLiteral>(
  dataSource: DataSource,
  metadata: EntityMetadata,
  raw: Record<string, unknown>,
): RowForChange<E> {
  const entity = metadata.create() as E;
  const asRead = new Map<string, unknown>();
  for (const column of metadata.columns) {
    const value = dataSource.driver.prepareHydratedValue(raw[column.databaseName], column);
    column.setEntityValue(entity, value);
    asRead.set(column.propertyName, value);
  }
  return { entity, rowVersion: String(raw.aggregate_row_version), asRead };
}

/**
 * Whether a column kept the value it was read with: dates by time, everything else by identity
 * (a rule that changes a JSON column assigns a new object, it does not edit the one read).
 */
function sameValue(now: unknown, read: unknown): boolean {
  if (now instanceof Date && read instanceof Date) return now.getTime() === read.getTime();
  return now === read;
}
