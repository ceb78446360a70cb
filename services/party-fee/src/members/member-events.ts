import {
  buildEvent,
  type CloudEvent,
  PartyFeeAssessedV1,
  PartyFeeAssessmentAdjustedV1,
  PartyFeePaidV1,
  PartyFeePaymentReversedV1,
  PartyMemberArrearsFlaggedV1,
  PartyMemberRegisteredV1,
  PartyMemberTransferredV1,
} from '@backbone/contracts';

/**
 * The member's events, each keyed by the member id (so one member's fees stay in order) and
 * numbered by the member's own sequence. Nothing personal: ids, cell codes, periods, amounts; the
 * registration carries a keyed pseudonym of the card number, never the card number or the name.
 */
type Envelope = { memberId: string; unitCode: string; sequence: number; at: Date };

const envelope = (e: Envelope) => ({
  subject: e.memberId,
  unitcode: e.unitCode,
  sequence: e.sequence,
  time: e.at,
});

export const memberEvents = {
  registered(e: Envelope, data: Omit<PartyMemberRegisteredV1, 'memberId' | 'registeredAt'>): CloudEvent {
    return buildEvent(PartyMemberRegisteredV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, registeredAt: e.at.toISOString() },
    });
  },
  assessed(e: Envelope, data: Omit<PartyFeeAssessedV1, 'memberId' | 'assessedAt'>): CloudEvent {
    return buildEvent(PartyFeeAssessedV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, assessedAt: e.at.toISOString() },
    });
  },
  adjusted(e: Envelope, data: Omit<PartyFeeAssessmentAdjustedV1, 'memberId' | 'adjustedAt'>): CloudEvent {
    return buildEvent(PartyFeeAssessmentAdjustedV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, adjustedAt: e.at.toISOString() },
    });
  },
  paid(e: Envelope, data: Omit<PartyFeePaidV1, 'memberId'>): CloudEvent {
    return buildEvent(PartyFeePaidV1, { ...envelope(e), data: { memberId: e.memberId, ...data } });
  },
  reversed(e: Envelope, data: Omit<PartyFeePaymentReversedV1, 'memberId' | 'reversedAt'>): CloudEvent {
    return buildEvent(PartyFeePaymentReversedV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, reversedAt: e.at.toISOString() },
    });
  },
  transferred(e: Envelope, data: Omit<PartyMemberTransferredV1, 'memberId' | 'transferredAt'>): CloudEvent {
    return buildEvent(PartyMemberTransferredV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, transferredAt: e.at.toISOString() },
    });
  },
  arrearsFlagged(e: Envelope, data: Omit<PartyMemberArrearsFlaggedV1, 'memberId' | 'flaggedAt'>): CloudEvent {
    return buildEvent(PartyMemberArrearsFlaggedV1, {
      ...envelope(e),
      data: { memberId: e.memberId, ...data, flaggedAt: e.at.toISOString() },
    });
  },
};
