import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { CallReceivedV1 } from './call-received.v1';
import { CallEndedV1 } from './call-ended.v1';
import { ReportSubmittedV1 } from './report-submitted.v1';
import { ReportAcceptedV1 } from './report-accepted.v1';
import { ReportAssignedV1 } from './report-assigned.v1';
import { ReportAnsweredV1 } from './report-answered.v1';
import { ReportClosedV1 } from './report-closed.v1';
import { ReportRejectedV1 } from './report-rejected.v1';
import { ReportReopenedV1 } from './report-reopened.v1';
import { ReportOverdueV1 } from './report-overdue.v1';
import { AppAccountRegisteredV1 } from './app-account-registered.v1';
import { CallInquiryAnsweredV1 } from './call-inquiry-answered.v1';
import { ReportWorkStartedV1 } from './report-work-started.v1';
import { ReportTransferredV1 } from './report-transferred.v1';
import { ReportEscalatedV1 } from './report-escalated.v1';
import { ReportDuplicateLinkedV1 } from './report-duplicate-linked.v1';

/**
 * Every event this producer publishes, type → data class: the runtime source of the `HotlineEvent`
 * union (and of the catalogue-wide one in `event-union.ts`); `event-union.spec.ts` checks it against the
 * registered classes, so a new event class must be added here too.
 */
export const HOTLINE_EVENT_CLASSES = {
  'call.received.v1': CallReceivedV1,
  'call.ended.v1': CallEndedV1,
  'report.submitted.v1': ReportSubmittedV1,
  'report.accepted.v1': ReportAcceptedV1,
  'report.assigned.v1': ReportAssignedV1,
  'report.answered.v1': ReportAnsweredV1,
  'report.closed.v1': ReportClosedV1,
  'report.rejected.v1': ReportRejectedV1,
  'report.reopened.v1': ReportReopenedV1,
  'report.overdue.v1': ReportOverdueV1,
  'app-account.registered.v1': AppAccountRegisteredV1,
  'call.inquiry-answered.v1': CallInquiryAnsweredV1,
  'report.work-started.v1': ReportWorkStartedV1,
  'report.transferred.v1': ReportTransferredV1,
  'report.escalated.v1': ReportEscalatedV1,
  'report.duplicate-linked.v1': ReportDuplicateLinkedV1,
} as const;

type HotlineEventClasses = typeof HOTLINE_EVENT_CLASSES;

/** A hotline event narrowed by `type`: `switch (event.type)` gives each branch its data class without a cast. */
export type HotlineEvent = {
  [T in keyof HotlineEventClasses]: TypedCloudEvent<T, InstanceType<HotlineEventClasses[T]>>;
}[keyof HotlineEventClasses];
