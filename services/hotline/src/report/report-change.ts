import { outboxInsertStatement } from '@backbone/messaging';
import {
  type AggregateChange,
  type AuditEntry,
  insertStatement,
  type SqlStatement,
} from '@backbone/platform';
import type { EntityManager } from 'typeorm';
import type { NumberedChange } from './report-events';
import { type Report, ReportHistoryEntry } from './report.entity';

/** The 409 of a report that kept changing under a step (libs/platform changeAggregate's `conflict`). */
export const REPORT_VERSION_CONFLICT = {
  type: 'urn:backbone:problem:report-version-conflict',
  detail: 'The report kept changing while this change was being made: reload it and decide again',
};

/**
 * A step of a report as the platform's changeAggregate writes it beside the report's row: each
 * history entry and each event (outbox) as its own single-row INSERT, and the audit record
 * `hotline.report.<action>` of the report's unit; `actor` names who acted when it is not the
 * caller of a request (the scheduler).
 */
export function reportChange<R>(
  manager: EntityManager,
  report: Report,
  numbered: NumberedChange,
  write: { topic: string; audit: Pick<AuditEntry, 'action' | 'actor'>; answer: R },
): AggregateChange<R> {
  const alongside: SqlStatement[] = [];
  for (const entry of numbered.history) {
    const statement = insertStatement(manager, ReportHistoryEntry, [entry]);
    if (statement) alongside.push(statement);
  }
  for (const event of numbered.events) alongside.push(outboxInsertStatement([event], { topic: write.topic }));
  return {
    alongside,
    audit: { ...write.audit, targetType: 'report', targetId: report.id, unitCode: report.unitCode },
    answer: write.answer,
  };
}
