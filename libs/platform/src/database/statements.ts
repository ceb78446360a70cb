import type { Pool, QueryResultRow } from 'pg';
import {
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
  QueryFailedError,
} from 'typeorm';

/**
 * One SQL statement with its own `$1, $2, ...` parameters. `name`: the CTE name it gets when
 * combined with others (combineStatements), so that later statements can read what it RETURNs.
 */
export interface SqlStatement {
  sql: string;
  params: unknown[];
  name?: string;
}

export interface InsertStatementOptions {
  /**
   * Columns (by entity property) whose value is an SQL expression computed in the same statement
   * rather than a parameter, e.g. `{ code: '(SELECT code FROM dossier_code)' }` to read a value an
   * earlier CTE of the combined statement returns. Expressions must not contain `$`.
   */
  expressions?: Record<string, string>;
}

/**
 * An `INSERT ... VALUES (...), (...)` for entities, from their TypeORM metadata (column names,
 * transformers, jsonb), to be combined with others; `undefined` when there are no rows.
 */
export function insertStatement(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  rows: ObjectLiteral[],
  options: InsertStatementOptions = {},
): SqlStatement | undefined {
  if (rows.length === 0) return undefined;
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => column.isInsert);
  const expressions = options.expressions ?? {};
  const params: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) {
      if (expressions[column.propertyName] === undefined)
        params.push(driver.preparePersistentValue(column.getEntityValue(row, true), column));
    }
  }
  return { sql: insertSql(metadata.tableName, columns, rows.length, expressions), params };
}

/** The text of an insert by its shape (table, columns, row count, expressions): built once. */
const insertTexts = new Map<string, string>();

function insertSql(
  table: string,
  columns: { databaseName: string; propertyName: string }[],
  rowCount: number,
  expressions: Record<string, string>,
): string {
  const key = `${table}|${columns.length}|${rowCount}|${Object.entries(expressions).join('|')}`;
  let sql = insertTexts.get(key);
  if (sql === undefined) {
    let next = 0;
    const tuples = Array.from({ length: rowCount }, () => {
      const placeholders = columns.map((column) => expressions[column.propertyName] ?? `$${(next += 1)}`);
      return `(${placeholders.join(', ')})`;
    });
    const columnList = columns.map((column) => `"${column.databaseName}"`).join(', ');
    sql = `INSERT INTO "${table}" (${columnList}) VALUES ${tuples.join(', ')}`;
    if (insertTexts.size < MAX_CACHED_TEXTS) insertTexts.set(key, sql);
  }
  return sql;
}

/**
 * Several independent data-modifying statements as ONE statement (all but the last become
 * data-modifying CTEs, named `combined_<i>` or by their `name`), so a transaction pays one round
 * trip and one parse instead of one each. They run against the same snapshot; foreign keys are
 * checked at the end of the statement, so a child row may follow its parent. A statement may read
 * what an earlier named one RETURNs (`SELECT code FROM dossier_code`), never the rows the others
 * insert. Statements must not contain `$` outside their parameter placeholders (they are
 * renumbered).
 */
export function combineStatements(statements: SqlStatement[]): SqlStatement {
  const params: unknown[] = [];
  const parts = statements.map((statement) => {
    const offset = params.length;
    for (const param of statement.params) params.push(param);
    return { name: statement.name, sql: renumbered(statement.sql, offset) };
  });
  const last = parts.pop();
  if (last === undefined) throw new Error('combineStatements needs at least one statement');
  if (parts.length === 0) return { sql: last.sql, params };
  const ctes = parts.map((part, i) => `${part.name ?? `combined_${i}`} AS (${part.sql})`);
  return { sql: `WITH ${ctes.join(', ')} ${last.sql}`, params };
}

/** Renumbered texts by offset and text: the statements of a hot path repeat, the regex need not. */
const renumberedTexts = new Map<number, Map<string, string>>();
const MAX_CACHED_TEXTS = 500;

function renumbered(sql: string, offset: number): string {
  if (offset === 0) return sql;
  let byText = renumberedTexts.get(offset);
  if (byText === undefined) {
    byText = new Map();
    if (renumberedTexts.size < MAX_CACHED_TEXTS) renumberedTexts.set(offset, byText);
  }
  let result = byText.get(sql);
  if (result === undefined) {
    result = sql.replace(/\$(\d+)/g, (_match, index: string) => `$${Number(index) + offset}`);
    if (byText.size < MAX_CACHED_TEXTS) byText.set(sql, result);
  }
  return result;
}

/** Prepared-statement names by SQL text, shared by every pooled connection of the process. */
const preparedNames = new Map<string, string>();
/** Texts beyond this many (statements built for unusual row counts) run unprepared. */
const MAX_PREPARED_TEXTS = 200;

function preparedNameFor(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED_TEXTS) {
    name = `platform_stmt_${preparedNames.size + 1}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/**
 * Runs one statement on its own (it commits by itself: no explicit transaction, so one round trip)
 * as a named prepared statement: each pooled connection parses and plans a given text once and
 * afterwards only binds and executes it. Errors are TypeORM's QueryFailedError, as from
 * `dataSource.query`. Returns the rows.
 */
export async function executeStatement<Row extends QueryResultRow = Record<string, unknown>>(
  dataSource: DataSource,
  statement: SqlStatement,
): Promise<Row[]> {
  const pool = (dataSource.driver as { master?: Pool }).master;
  if (!pool || typeof pool.query !== 'function') {
    return (await dataSource.query(statement.sql, statement.params)) as Row[];
  }
  const name = preparedNameFor(statement.sql);
  try {
    const result = await pool.query<Row>({
      ...(name ? { name } : {}),
      text: statement.sql,
      values: statement.params,
    });
    return result.rows;
  } catch (error) {
    throw new QueryFailedError(statement.sql, statement.params, error as Error);
  }
}
