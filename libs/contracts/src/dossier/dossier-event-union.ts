import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { DossierSubmittedOnlineV1 } from './dossier-submitted-online.v1';
import { DossierReceivedV1 } from './dossier-received.v1';
import { DossierRefusedAtIntakeV1 } from './dossier-refused-at-intake.v1';
import { DossierProcessingStartedV1 } from './dossier-processing-started.v1';
import { DossierSupplementRequestedV1 } from './dossier-supplement-requested.v1';
import { DossierSupplementProvidedV1 } from './dossier-supplement-provided.v1';
import { DossierPaymentRequestedV1 } from './dossier-payment-requested.v1';
import { DossierFeePaidV1 } from './dossier-fee-paid.v1';
import { DossierResolvedV1 } from './dossier-resolved.v1';
import { DossierResultReturnedV1 } from './dossier-result-returned.v1';
import { DossierWithdrawnV1 } from './dossier-withdrawn.v1';
import { DossierStoppedV1 } from './dossier-stopped.v1';
import { DossierOverdueV1 } from './dossier-overdue.v1';
import { DossierApologyIssuedV1 } from './dossier-apology-issued.v1';
import { DossierResultRejectedV1 } from './dossier-result-rejected.v1';
import { CalendarOfficialYearSetV1 } from './calendar-official-year-set.v1';

/**
 * Every event this producer publishes, type → data class: the runtime source of the `DossierEvent`
 * union (and of the catalogue-wide one in `event-union.ts`); `event-union.spec.ts` checks it against the
 * registered classes, so a new event class must be added here too.
 */
export const DOSSIER_EVENT_CLASSES = {
  'dossier.submitted-online.v1': DossierSubmittedOnlineV1,
  'dossier.received.v1': DossierReceivedV1,
  'dossier.refused-at-intake.v1': DossierRefusedAtIntakeV1,
  'dossier.processing-started.v1': DossierProcessingStartedV1,
  'dossier.supplement-requested.v1': DossierSupplementRequestedV1,
  'dossier.supplement-provided.v1': DossierSupplementProvidedV1,
  'dossier.payment-requested.v1': DossierPaymentRequestedV1,
  'dossier.fee-paid.v1': DossierFeePaidV1,
  'dossier.resolved.v1': DossierResolvedV1,
  'dossier.result-returned.v1': DossierResultReturnedV1,
  'dossier.withdrawn.v1': DossierWithdrawnV1,
  'dossier.stopped.v1': DossierStoppedV1,
  'dossier.overdue.v1': DossierOverdueV1,
  'dossier.apology-issued.v1': DossierApologyIssuedV1,
  'dossier.result-rejected.v1': DossierResultRejectedV1,
  // Published on the same topic: the official calendar is the dossier service's reference data (ADR 0008).
  'calendar.official-year-set.v1': CalendarOfficialYearSetV1,
} as const;

type DossierEventClasses = typeof DOSSIER_EVENT_CLASSES;

/** A dossier event narrowed by `type`: `switch (event.type)` gives each branch its data class without a cast. */
export type DossierEvent = {
  [T in keyof DossierEventClasses]: TypedCloudEvent<T, InstanceType<DossierEventClasses[T]>>;
}[keyof DossierEventClasses];
