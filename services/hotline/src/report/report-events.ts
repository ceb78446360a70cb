import {
  buildEvent,
  type CloudEvent,
  type EventClass,
  HOTLINE_EVENT_CLASSES,
  uuidv7,
} from '@backbone/contracts';
import { eventTrace } from '@backbone/platform';
import type { ReportEventDraft, StepActor } from './report-lifecycle';
import { type Report, ReportHistoryEntry } from './report.entity';

/** A step's events numbered after the report's last one, and the history row of each. */
export interface NumberedChange {
  events: CloudEvent[];
  history: ReportHistoryEntry[];
}

/**
 * Turns drafts into CloudEvents (subject = report id, sequence = the report's next version,
 * unitcode = the responsible unit after the step, correlation from the request) and history rows
 * that record the same step: who, when, from which status to which, for which unit. Raises the
 * report's version to the last event's sequence.
 */
export function numberReportEvents(
  report: Report,
  drafts: readonly ReportEventDraft[],
  actor: Pick<StepActor, 'subject' | 'role'>,
  at: Date,
): NumberedChange {
  const trace = eventTrace();
  const events: CloudEvent[] = [];
  const history: ReportHistoryEntry[] = [];
  for (const draft of drafts) {
    report.version += 1;
    const eventClass = (HOTLINE_EVENT_CLASSES as Record<string, EventClass<object>>)[draft.type];
    if (!eventClass) throw new Error(`unknown hotline event type ${draft.type}`);
    events.push(
      buildEvent(eventClass, {
        subject: report.id,
        unitcode: draft.unitCode,
        sequence: report.version,
        time: draft.at ?? at,
        data: draft.data,
        ...trace,
      }),
    );
    history.push(
      Object.assign(new ReportHistoryEntry(), {
        id: uuidv7(),
        reportId: report.id,
        sequence: report.version,
        eventType: draft.type,
        fromStatus: draft.fromStatus,
        toStatus: draft.toStatus,
        unitCode: draft.unitCode,
        actorSubject: actor.subject,
        actorRole: actor.role,
        at: draft.at ?? at,
        withinSla: draft.withinSla,
        details: draft.details,
      }),
    );
  }
  return { events, history };
}
