import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** One SQL statement with its own `$1, $2, ...` parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * An `INSERT ... VALUES (...), (...)` for entities, from their TypeORM metadata (column names,
 * transformers, jsonb), to be combined with others; `undefined` when there are no rows.
 */
export function insertStatement(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  rows: ObjectLiteral[],
): SqlStatement | undefined {
  if (rows.length === 0) return undefined;
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => column.isInsert);
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      params.push(driver.preparePersistentValue(column.getEntityValue(row, true), column));
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const columnList = columns.map((column) => `"${column.databaseName}"`).join(', ');
  return {
    sql: `INSERT INTO "${metadata.tableName}" (${columnList}) VALUES ${tuples.join(', ')}`,
    params,
  };
}

/**
 * Several independent data-modifying statements as ONE statement (all but the last become
 * data-modifying CTEs), so a transaction pays one round trip and one parse instead of one each.
 * They run in the order given against the same snapshot; foreign keys are checked at the end of
 * the statement, so a child row may follow its parent. The statements must not read each other's
 * rows, and must not contain `$` outside their parameter placeholders (they are renumbered).
 */
export function combineStatements(statements: SqlStatement[]): SqlStatement {
  const params: unknown[] = [];
  const parts = statements.map((statement) => {
    const offset = params.length;
    params.push(...statement.params);
    return statement.sql.replace(/\$(\d+)/g, (_match, index: string) => `$${Number(index) + offset}`);
  });
  const last = parts.pop();
  if (last === undefined) throw new Error('combineStatements needs at least one statement');
  if (parts.length === 0) return { sql: last, params };
  return { sql: `WITH ${parts.map((part, i) => `combined_${i} AS (${part})`).join(', ')} ${last}`, params };
}
