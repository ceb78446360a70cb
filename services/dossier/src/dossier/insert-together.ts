import { insertStatement, type SqlStatement } from '@backbone/platform';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface RowsToInsert {
  target: EntityTarget<ObjectLiteral>;
  rows: ObjectLiteral[];
  /** Columns computed by SQL in the same statement (see insertStatement). */
  expressions?: Record<string, string>;
}

/**
 * INSERT statements for several tables, to be sent as one statement (with the audit record:
 * `auditTrail.record(manager, entry, { alongside })`), parents before children.
 */
export function insertStatements(manager: EntityManager, parts: RowsToInsert[]): SqlStatement[] {
  return parts
    .map((part) =>
      insertStatement(
        manager,
        part.target,
        part.rows,
        part.expressions ? { expressions: part.expressions } : {},
      ),
    )
    .filter((statement): statement is SqlStatement => statement !== undefined);
}
