import {
  buildEvent,
  CallEndedV1,
  type CallOutcome,
  CallReceivedV1,
  type CloudEvent,
  HOTLINE_LINES,
  type HotlineLine,
} from '@backbone/contracts';
import { eventTrace } from '@backbone/platform';
import type { Call } from './call.entity';

const iso = (at: Date) => at.toISOString();

/** What call.ended.v1 says came of the call: a report, an answer, a transfer, or nothing. */
export function callOutcome(call: Call): CallOutcome {
  if (call.reportId) return 'report-created';
  if (call.inquiryAnsweredAt) return 'information-given';
  if (call.disposition === 'answered') return 'information-given';
  if (call.disposition === 'transferred') return 'transferred';
  return 'abandoned';
}

function lineOf(call: Call): HotlineLine {
  return (HOTLINE_LINES as readonly string[]).includes(call.line) ? (call.line as HotlineLine) : '1022';
}

/** call.received.v1: the caller only as a pseudonym. Numbers the call's next event. */
export function callReceivedEvent(call: Call): CloudEvent {
  call.version += 1;
  return buildEvent(CallReceivedV1, {
    subject: call.id,
    unitcode: call.unitCode,
    sequence: call.version,
    time: call.startedAt,
    data: {
      callId: call.id,
      line: lineOf(call),
      receivedAt: iso(call.startedAt),
      callerPseudonym: call.callerPseudonym,
    },
    ...eventTrace(),
  });
}

/** call.ended.v1, with the outcome as the call stands when it ends. */
export function callEndedEvent(call: Call): CloudEvent {
  call.version += 1;
  call.outcome = callOutcome(call);
  return buildEvent(CallEndedV1, {
    subject: call.id,
    unitcode: call.unitCode,
    sequence: call.version,
    time: call.endedAt!,
    data: {
      callId: call.id,
      endedAt: iso(call.endedAt!),
      durationSeconds: call.durationSeconds ?? 0,
      outcome: call.outcome as CallOutcome,
      ...(call.reportId ? { reportId: call.reportId } : {}),
    },
    ...eventTrace(),
  });
}
