import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { PartyMemberRegisteredV1 } from './party-member-registered.v1';
import { PartyFeeAssessedV1 } from './party-fee-assessed.v1';
import { PartyFeePaidV1 } from './party-fee-paid.v1';
import { PartyFeePaymentReversedV1 } from './party-fee-payment-reversed.v1';
import { PartyFeeAssessmentAdjustedV1 } from './party-fee-assessment-adjusted.v1';
import { PartyMemberTransferredV1 } from './party-member-transferred.v1';
import { PartyMemberArrearsFlaggedV1 } from './party-member-arrears-flagged.v1';

/**
 * Every event this producer publishes, type → data class: the runtime source of the `PartyFeeEvent`
 * union (and of the catalogue-wide one in `event-union.ts`); `event-union.spec.ts` checks it against the
 * registered classes, so a new event class must be added here too.
 */
export const PARTY_FEE_EVENT_CLASSES = {
  'party-member.registered.v1': PartyMemberRegisteredV1,
  'party-fee.assessed.v1': PartyFeeAssessedV1,
  'party-fee.paid.v1': PartyFeePaidV1,
  'party-fee.payment-reversed.v1': PartyFeePaymentReversedV1,
  'party-fee.assessment-adjusted.v1': PartyFeeAssessmentAdjustedV1,
  'party-member.transferred.v1': PartyMemberTransferredV1,
  'party-member.arrears-flagged.v1': PartyMemberArrearsFlaggedV1,
} as const;

type PartyFeeEventClasses = typeof PARTY_FEE_EVENT_CLASSES;

/** A party-fee event narrowed by `type`: `switch (event.type)` gives each branch its data class without a cast. */
export type PartyFeeEvent = {
  [T in keyof PartyFeeEventClasses]: TypedCloudEvent<T, InstanceType<PartyFeeEventClasses[T]>>;
}[keyof PartyFeeEventClasses];
