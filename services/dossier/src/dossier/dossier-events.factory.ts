import {
  buildEvent,
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
  type EventClass,
  type FeePaymentChannel,
} from '@backbone/contracts';
import { eventTrace } from '@backbone/platform';
import { statutoryWorkingHours, workingMinutesBetween } from '@backbone/calendar';
import type { DossierEventType } from './dossier-events';
import type { Dossier } from '../database/dossier.entities';

/** What an event needs beyond the dossier's state after the transition. */
export interface EventDetails {
  at: Date;
  reason?: string;
  receivedBy?: string;
  amountVnd?: number;
  paymentChannel?: FeePaymentChannel;
  pausedWorkingMinutes?: number;
  previousDueAt?: Date;
  detectedAt?: Date;
  /** dossier.result-rejected: the rejected signature saga. */
  signatureId?: string;
}

const iso = (date: Date | null | undefined): string => {
  if (!date) throw new Error('a date the event needs is missing on the dossier');
  return date.toISOString();
};

/** The `data` of one event type: never a name, national ID, phone or address, only the pseudonym. */
function dataFor(
  type: DossierEventType,
  d: Dossier,
  x: EventDetails,
): { eventClass: EventClass<object>; data: object } {
  const reason = x.reason ?? '';
  switch (type) {
    case 'dossier.submitted-online.v1':
      return {
        eventClass: DossierSubmittedOnlineV1,
        data: {
          dossierId: d.id,
          dossierCode: d.code,
          procedureCode: d.procedureCode,
          onlineLevel: d.onlineLevel,
          submittedAt: iso(d.submittedAt),
          applicantPseudonym: d.applicantPseudonym,
        },
      };
    case 'dossier.received.v1':
      return {
        eventClass: DossierReceivedV1,
        data: {
          dossierId: d.id,
          dossierCode: d.code,
          procedureCode: d.procedureCode,
          procedureLevel: d.procedureSnapshot.level,
          field: d.procedureSnapshot.field,
          channel: d.channel,
          onlineLevel: d.onlineLevel,
          receivedAt: iso(d.receivedAt),
          dueAt: iso(d.dueAt),
          statutoryWorkingHours: Math.round(
            statutoryWorkingHours(d.procedureSnapshot.statutoryTime, d.calendarSnapshot),
          ),
          digitised: d.digitised,
          feeVnd: d.procedureSnapshot.feeVnd,
          requiresSignature: d.procedureSnapshot.requiresSignature,
          applicantPseudonym: d.applicantPseudonym,
          ...(x.receivedBy ? { receivedBy: x.receivedBy } : {}),
        },
      };
    case 'dossier.refused-at-intake.v1':
      return {
        eventClass: DossierRefusedAtIntakeV1,
        data: {
          dossierId: d.id,
          dossierCode: d.code,
          procedureCode: d.procedureCode,
          channel: d.channel,
          refusedAt: x.at.toISOString(),
          reason,
        },
      };
    case 'dossier.processing-started.v1':
      return {
        eventClass: DossierProcessingStartedV1,
        data: { dossierId: d.id, startedAt: x.at.toISOString() },
      };
    case 'dossier.supplement-requested.v1':
      return {
        eventClass: DossierSupplementRequestedV1,
        data: { dossierId: d.id, requestedAt: x.at.toISOString(), reason },
      };
    case 'dossier.supplement-provided.v1':
      return {
        eventClass: DossierSupplementProvidedV1,
        data: {
          dossierId: d.id,
          providedAt: x.at.toISOString(),
          pausedWorkingMinutes: x.pausedWorkingMinutes ?? 0,
          newDueAt: iso(d.dueAt),
        },
      };
    case 'dossier.payment-requested.v1':
      return {
        eventClass: DossierPaymentRequestedV1,
        data: { dossierId: d.id, amountVnd: x.amountVnd ?? 0, requestedAt: x.at.toISOString() },
      };
    case 'dossier.fee-paid.v1':
      return {
        eventClass: DossierFeePaidV1,
        data: {
          dossierId: d.id,
          amountVnd: x.amountVnd ?? 0,
          paidAt: x.at.toISOString(),
          paymentChannel: x.paymentChannel ?? 'cash',
        },
      };
    case 'dossier.resolved.v1': {
      const receivedAt = d.receivedAt!;
      const resolvedAt = d.resolvedAt!;
      const taken = Math.max(
        0,
        workingMinutesBetween(receivedAt, resolvedAt, d.calendarSnapshot) - d.pausedWorkingMinutes,
      );
      return {
        eventClass: DossierResolvedV1,
        data: {
          dossierId: d.id,
          dossierCode: d.code,
          procedureCode: d.procedureCode,
          channel: d.channel,
          receivedAt: iso(receivedAt),
          resolvedAt: iso(resolvedAt),
          dueAt: iso(d.dueAt),
          onTime: resolvedAt.getTime() <= d.dueAt!.getTime(),
          workingMinutesTaken: taken,
          requiresSignature: d.procedureSnapshot.requiresSignature,
          ...(d.resultDocumentSha256 ? { resultDocumentSha256: d.resultDocumentSha256 } : {}),
        },
      };
    }
    case 'dossier.result-returned.v1':
      return {
        eventClass: DossierResultReturnedV1,
        data: {
          dossierId: d.id,
          returnedAt: x.at.toISOString(),
          ...(d.signatureId ? { signatureId: d.signatureId } : {}),
        },
      };
    case 'dossier.result-rejected.v1':
      if (!x.signatureId) throw new Error('dossier.result-rejected needs the rejected signature id');
      return {
        eventClass: DossierResultRejectedV1,
        data: { dossierId: d.id, signatureId: x.signatureId, rejectedAt: x.at.toISOString(), reason },
      };
    case 'dossier.withdrawn.v1':
      return {
        eventClass: DossierWithdrawnV1,
        data: { dossierId: d.id, withdrawnAt: x.at.toISOString(), reason },
      };
    case 'dossier.stopped.v1':
      return {
        eventClass: DossierStoppedV1,
        data: { dossierId: d.id, stoppedAt: x.at.toISOString(), reason },
      };
    case 'dossier.overdue.v1':
      return {
        eventClass: DossierOverdueV1,
        data: {
          dossierId: d.id,
          dossierCode: d.code,
          procedureCode: d.procedureCode,
          dueAt: iso(d.dueAt),
          detectedAt: (x.detectedAt ?? x.at).toISOString(),
        },
      };
    case 'dossier.apology-issued.v1':
      return {
        eventClass: DossierApologyIssuedV1,
        data: {
          dossierId: d.id,
          issuedAt: x.at.toISOString(),
          previousDueAt: iso(x.previousDueAt),
          newDueAt: iso(d.promisedDueAt),
          reason,
        },
      };
  }
}

/**
 * The CloudEvents of one transition, numbered from `firstSequence` (the dossier's event sequence
 * before the transition + 1). buildEvent validates each against its contract, so an invalid event
 * fails the transaction instead of reaching Kafka.
 */
export function buildDossierEvents(
  dossier: Dossier,
  types: readonly DossierEventType[],
  details: EventDetails,
  firstSequence: number,
): CloudEvent[] {
  const trace = eventTrace();
  return types.map((type, index) => {
    const { eventClass, data } = dataFor(type, dossier, details);
    return buildEvent(eventClass, {
      subject: dossier.id,
      unitcode: dossier.unitCode,
      sequence: firstSequence + index,
      time: details.at,
      data,
      ...trace,
    });
  });
}
