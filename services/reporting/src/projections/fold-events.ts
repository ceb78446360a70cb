import {
  AppAccountRegisteredV1,
  CallEndedV1,
  CallReceivedV1,
  type CloudEvent,
  DossierApologyIssuedV1,
  DossierFeePaidV1,
  DossierOverdueV1,
  DossierPaymentRequestedV1,
  DossierProcessingStartedV1,
  DossierReceivedV1,
  DossierRefusedAtIntakeV1,
  DossierResolvedV1,
  DossierResultRejectedV1,
  DossierResultReturnedV1,
  DossierStoppedV1,
  DossierSubmittedOnlineV1,
  DossierSupplementProvidedV1,
  DossierSupplementRequestedV1,
  DossierWithdrawnV1,
  DOSSIER_EVENT_TYPES,
  DOSSIER_STATUS_AFTER_EVENT,
  type DossierEventType,
  type EventClass,
  eventTypeOf,
  PartyFeeAssessedV1,
  PartyFeePaidV1,
  PartyFeePaymentReversedV1,
  PartyMemberRegisteredV1,
  ReportAcceptedV1,
  ReportAnsweredV1,
  ReportAssignedV1,
  ReportClosedV1,
  ReportOverdueV1,
  ReportRejectedV1,
  ReportReopenedV1,
  ReportSubmittedV1,
  SignatureCompletedV1,
  SignatureRejectedV1,
  SignatureRequestedV1,
  SignatureTimedOutV1,
} from '@backbone/contracts';
import type { DossierStatePatch, DossierStatus } from './dossier-state';
import { hanoiDayOf } from '@backbone/calendar';
import { LATE, METRICS, type MetricKey, ON_TIME, OUTSIDE_SLA, WITHIN_SLA } from './metrics';
import { histogramBucketOf } from './resolution-time-histogram';

/** One pre-aggregated row: add `value` to the counter of (unit, day, metric, dims). */
export interface CounterDelta {
  unitCode: string;
  /** `YYYY-MM-DD` in Asia/Ho_Chi_Minh, from the event's own business time. */
  day: string;
  metric: string;
  dim1: string;
  dim2: string;
  dim3: string;
  value: number;
}

export interface ProjectionDelta {
  /** One row per key, sorted by key: a single upsert statement never touches a row twice and locks rows in one order. */
  counters: CounterDelta[];
  /** One patch per dossier, sorted by dossier id. */
  dossierStates: DossierStatePatch[];
  /** Events that changed a projection. */
  folded: number;
  /** Events of types no projection uses (certificates, future types). */
  ignored: number;
}

class Accumulator {
  private readonly counters = new Map<string, CounterDelta>();
  private readonly dossiers = new Map<string, CloudEvent[]>();

  add(event: CloudEvent, key: MetricKey, at: string, dims: [string?, string?, string?], value = 1): void {
    const metric = METRICS[key].name;
    const day = hanoiDayOf(at);
    const [dim1 = '', dim2 = '', dim3 = ''] = dims;
    const id = `${event.unitcode}\u0000${day}\u0000${metric}\u0000${dim1}\u0000${dim2}\u0000${dim3}`;
    const existing = this.counters.get(id);
    if (existing) existing.value += value;
    else this.counters.set(id, { unitCode: event.unitcode, day, metric, dim1, dim2, dim3, value });
  }

  trackDossier(event: CloudEvent): void {
    const events = this.dossiers.get(event.subject);
    if (events) events.push(event);
    else this.dossiers.set(event.subject, [event]);
  }

  counterRows(): CounterDelta[] {
    return [...this.counters.entries()]
      .filter(([, row]) => row.value !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row);
  }

  dossierPatches(): DossierStatePatch[] {
    return [...this.dossiers.keys()]
      .sort()
      .map((dossierId) => patchFor(dossierId, this.dossiers.get(dossierId)!));
  }
}

type Folder<T extends object> = (data: T, event: CloudEvent<T>, into: Accumulator) => void;
const folders = new Map<string, Folder<never>>();
function on<T extends object>(eventClass: EventClass<T>, folder: Folder<T>): void {
  folders.set(eventTypeOf(eventClass).type, folder as Folder<never>);
}

const yesNo = (flag: boolean, yes: string, no: string) => (flag ? yes : no);

// dossier.events.v1: every dossier event also feeds the per-dossier state.
on(DossierSubmittedOnlineV1, (d, e, acc) =>
  acc.add(e, 'dossierSubmittedOnline', d.submittedAt, [d.onlineLevel, d.procedureCode]),
);
on(DossierReceivedV1, (d, e, acc) => {
  acc.add(e, 'dossierReceived', d.receivedAt, [d.channel, d.onlineLevel, d.procedureCode]);
  if (d.digitised) acc.add(e, 'dossierDigitised', d.receivedAt, [d.channel, d.onlineLevel, d.procedureCode]);
});
on(DossierRefusedAtIntakeV1, (d, e, acc) =>
  acc.add(e, 'dossierRefused', d.refusedAt, [d.channel, d.procedureCode]),
);
on(DossierProcessingStartedV1, () => undefined);
on(DossierSupplementRequestedV1, (d, e, acc) => acc.add(e, 'dossierSupplementRequested', d.requestedAt, []));
on(DossierSupplementProvidedV1, () => undefined);
on(DossierPaymentRequestedV1, () => undefined);
on(DossierFeePaidV1, (d, e, acc) => {
  acc.add(e, 'dossierFeePaid', d.paidAt, [d.paymentChannel]);
  acc.add(e, 'dossierFeePaidVnd', d.paidAt, [d.paymentChannel], d.amountVnd);
});
on(DossierResolvedV1, (d, e, acc) => {
  const dims: [string, string, string] = [d.channel, yesNo(d.onTime, ON_TIME, LATE), d.procedureCode];
  acc.add(e, 'dossierResolved', d.resolvedAt, dims);
  acc.add(e, 'dossierResolveMinutes', d.resolvedAt, dims, d.workingMinutesTaken);
  acc.add(e, 'dossierResolveMinutesBucket', d.resolvedAt, [String(histogramBucketOf(d.workingMinutesTaken))]);
});
on(DossierResultReturnedV1, (d, e, acc) => acc.add(e, 'dossierReturned', d.returnedAt, []));
on(DossierWithdrawnV1, (d, e, acc) => acc.add(e, 'dossierWithdrawn', d.withdrawnAt, []));
on(DossierStoppedV1, (d, e, acc) => acc.add(e, 'dossierStopped', d.stoppedAt, []));
on(DossierOverdueV1, (d, e, acc) => acc.add(e, 'dossierOverdue', d.detectedAt, [d.procedureCode]));
on(DossierApologyIssuedV1, (d, e, acc) => acc.add(e, 'dossierApologyIssued', d.issuedAt, []));
// Back to processing after the signer refused the result: only the dossier's state moves.
on(DossierResultRejectedV1, () => undefined);

// signing.events.v1
on(SignatureRequestedV1, (d, e, acc) =>
  acc.add(e, 'signatureRequested', d.requestedAt, [d.format, d.reference.kind]),
);
on(SignatureCompletedV1, (d, e, acc) =>
  acc.add(e, 'signatureCompleted', d.signedAt, [d.format, d.reference.kind]),
);
on(SignatureRejectedV1, (d, e, acc) => acc.add(e, 'signatureRejected', d.rejectedAt, [d.reference.kind]));
on(SignatureTimedOutV1, (d, e, acc) => acc.add(e, 'signatureTimedOut', d.timedOutAt, [d.reference.kind]));

// hotline.events.v1
on(CallReceivedV1, (d, e, acc) => acc.add(e, 'callReceived', d.receivedAt, [d.line]));
on(CallEndedV1, (d, e, acc) => {
  acc.add(e, 'callEnded', d.endedAt, [d.outcome]);
  acc.add(e, 'callDurationSeconds', d.endedAt, [d.outcome], d.durationSeconds);
});
on(ReportSubmittedV1, (d, e, acc) =>
  acc.add(e, 'reportSubmitted', d.submittedAt, [d.channel, d.category, d.level]),
);
on(ReportAcceptedV1, (d, e, acc) =>
  acc.add(e, 'reportAccepted', d.acceptedAt, [yesNo(d.withinSla, WITHIN_SLA, OUTSIDE_SLA)]),
);
on(ReportAssignedV1, (d, e, acc) => acc.add(e, 'reportAssigned', d.assignedAt, []));
on(ReportAnsweredV1, (d, e, acc) =>
  acc.add(e, 'reportAnswered', d.answeredAt, [yesNo(d.withinSla, WITHIN_SLA, OUTSIDE_SLA)]),
);
on(ReportClosedV1, (d, e, acc) =>
  acc.add(e, 'reportClosed', d.closedAt, [d.rating === undefined ? 'none' : String(d.rating)]),
);
on(ReportRejectedV1, (d, e, acc) => acc.add(e, 'reportRejected', d.rejectedAt, [d.reason]));
on(ReportReopenedV1, (d, e, acc) => acc.add(e, 'reportReopened', d.reopenedAt, []));
on(ReportOverdueV1, (d, e, acc) => acc.add(e, 'reportOverdue', d.detectedAt, [d.stage]));
on(AppAccountRegisteredV1, (d, e, acc) => acc.add(e, 'appAccountRegistered', d.registeredAt, []));

// party-fee.events.v1
on(PartyMemberRegisteredV1, (d, e, acc) => acc.add(e, 'partyMemberRegistered', d.registeredAt, [d.category]));
on(PartyFeeAssessedV1, (d, e, acc) => {
  acc.add(e, 'partyFeeAssessed', d.assessedAt, []);
  acc.add(e, 'partyFeeAssessedVnd', d.assessedAt, [], d.amountVnd);
});
on(PartyFeePaidV1, (d, e, acc) => {
  acc.add(e, 'partyFeePaid', d.paidAt, [d.channel]);
  acc.add(e, 'partyFeeCollectedVnd', d.paidAt, [d.channel], d.amountVnd);
});
on(PartyFeePaymentReversedV1, (d, e, acc) => {
  acc.add(e, 'partyFeeReversed', d.reversedAt, []);
  // The reversal event does not say how the payment was made: the net stays right per unit and day.
  acc.add(e, 'partyFeeCollectedVnd', d.reversedAt, ['reversal'], -d.amountVnd);
});

const DOSSIER_TYPE_PREFIX = 'dossier.';

/**
 * Folds one batch of (already deduplicated) events into pre-aggregated deltas: one counter row
 * per (unit, day, metric, dims) and one state patch per dossier. Pure and deterministic: the
 * same events in any order give the same rows, so batch boundaries never change the result.
 */
export function foldEvents(events: readonly CloudEvent[]): ProjectionDelta {
  const acc = new Accumulator();
  let folded = 0;
  let ignored = 0;
  for (const event of events) {
    const folder = folders.get(event.type);
    if (!folder) {
      ignored += 1;
      continue;
    }
    (folder as Folder<object>)(event.data, event, acc);
    if (event.type.startsWith(DOSSIER_TYPE_PREFIX)) acc.trackDossier(event);
    folded += 1;
  }
  return { counters: acc.counterRows(), dossierStates: acc.dossierPatches(), folded, ignored };
}

type Transition = { status?: DossierStatus; dueAt?: string; resolvedAt?: string };
type TransitionOf = (data: Record<string, unknown>) => Transition;

/** The due (and resolution) dates a dossier event sets; the status it moves to is the contracts' map. */
const datesSetBy: { readonly [T in DossierEventType]?: TransitionOf } = {
  'dossier.received.v1': (d) => ({ dueAt: d.dueAt as string }),
  'dossier.supplement-provided.v1': (d) => ({ dueAt: d.newDueAt as string }),
  'dossier.resolved.v1': (d) => ({ dueAt: d.dueAt as string, resolvedAt: d.resolvedAt as string }),
  'dossier.apology-issued.v1': (d) => ({ dueAt: d.newDueAt as string }),
};

/** What each dossier event does to a dossier's state (built once: the fold is hot). */
const transitions = new Map<string, TransitionOf>(
  DOSSIER_EVENT_TYPES.map((type): [string, TransitionOf] => {
    const status = DOSSIER_STATUS_AFTER_EVENT[type] ?? undefined;
    const dates = datesSetBy[type];
    if (!dates) return [type, () => ({ status })];
    return [
      type,
      (d) => {
        const transition = dates(d);
        transition.status = status;
        return transition;
      },
    ];
  }),
);

/** dossier.overdue sets nothing: overdue is derived from due_at at query time, not a status. */
function transitionOf(event: CloudEvent): Transition {
  return transitions.get(event.type)?.(event.data as Record<string, unknown>) ?? {};
}

function patchFor(dossierId: string, events: CloudEvent[]): DossierStatePatch {
  // Sequence order, ties by id: duplicates were removed upstream, but the result must not depend on arrival order.
  const ordered = [...events].sort(
    (a, b) => a.sequence - b.sequence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const last = ordered[ordered.length - 1]!;
  const patch: DossierStatePatch = {
    dossierId,
    unitCode: last.unitcode,
    lastSequence: last.sequence,
    lastEventTime: last.time,
    status: null,
    dueAt: null,
    resolvedAt: null,
    procedureCode: null,
    channel: null,
    onlineLevel: null,
    receivedAt: null,
  };
  for (const event of ordered) {
    const transition = transitionOf(event);
    if (transition.status) patch.status = transition.status;
    if (transition.dueAt) patch.dueAt = transition.dueAt;
    if (transition.resolvedAt) patch.resolvedAt = transition.resolvedAt;
    const data = event.data as Record<string, unknown>;
    patch.procedureCode ??= (data.procedureCode as string | undefined) ?? null;
    patch.channel ??= (data.channel as string | undefined) ?? null;
    patch.onlineLevel ??= (data.onlineLevel as string | undefined) ?? null;
    patch.receivedAt ??= (data.receivedAt as string | undefined) ?? null;
  }
  return patch;
}
