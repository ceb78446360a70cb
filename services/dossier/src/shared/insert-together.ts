import { insertStatement, type SqlStatement } from '@backbone/platform';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface RowsToInsert {
  target: EntityTarget<ObjectLiteral>;
  rows: ObjectLiteral[];
}

/**
 * INSERT statements for several tables, to be sent as one statement (with the audit record:
 * `auditTrail.record(manager, entry, { alongside })`), parents before children.
 */
export function insertStatements(manager: EntityManager, parts: RowsToInsert[]): SqlStatement[] {
  return parts
    .map((part) => insertStatement(manager, part.target, part.rows))
    .filter((statement): statement is SqlStatement => statement !== undefined);
}
