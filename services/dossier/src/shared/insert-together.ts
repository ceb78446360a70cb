import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface RowsToInsert {
  target: EntityTarget<ObjectLiteral>;
  rows: ObjectLiteral[];
}

/**
 * Inserts rows into several tables in ONE statement (data-modifying CTEs), from the entities'
 * TypeORM metadata (column names, transformers, jsonb), so a transaction pays one round trip and
 * one parse instead of one per table. Rows go in the order given; foreign keys are checked at the
 * end of the statement, so a child may follow its parent in the same call.
 */
export async function insertTogether(manager: EntityManager, parts: RowsToInsert[]): Promise<void> {
  const params: unknown[] = [];
  const statements: string[] = [];
  const driver = manager.connection.driver;
  for (const part of parts) {
    if (part.rows.length === 0) continue;
    const metadata = manager.connection.getMetadata(part.target);
    const columns = metadata.columns.filter((column) => column.isInsert);
    const tuples = part.rows.map((row) => {
      const placeholders = columns.map((column) => {
        params.push(driver.preparePersistentValue(column.getEntityValue(row, true), column));
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const columnList = columns.map((column) => `"${column.databaseName}"`).join(', ');
    statements.push(`INSERT INTO "${metadata.tableName}" (${columnList}) VALUES ${tuples.join(', ')}`);
  }
  if (statements.length === 0) return;
  const last = statements.pop()!;
  const ctes = statements.map((statement, index) => `insert_${index} AS (${statement})`);
  await manager.query(ctes.length > 0 ? `WITH ${ctes.join(', ')} ${last}` : last, params);
}
