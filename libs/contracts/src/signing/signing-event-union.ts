import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { SignatureRequestedV1 } from './signature-requested.v1';
import { SignatureCompletedV1 } from './signature-completed.v1';
import { SignatureRejectedV1 } from './signature-rejected.v1';
import { SignatureTimedOutV1 } from './signature-timed-out.v1';
import { CertificateIssuedV1 } from './certificate-issued.v1';
import { CertificateRevokedV1 } from './certificate-revoked.v1';
import { CertificateExpiringV1 } from './certificate-expiring.v1';

/**
 * Every event this producer publishes, type → data class: the runtime source of the `SigningEvent`
 * union (and of the catalogue-wide one in `event-union.ts`); `event-union.spec.ts` checks it against the
 * registered classes, so a new event class must be added here too.
 */
export const SIGNING_EVENT_CLASSES = {
  'signature.requested.v1': SignatureRequestedV1,
  'signature.completed.v1': SignatureCompletedV1,
  'signature.rejected.v1': SignatureRejectedV1,
  'signature.timed-out.v1': SignatureTimedOutV1,
  'certificate.issued.v1': CertificateIssuedV1,
  'certificate.revoked.v1': CertificateRevokedV1,
  'certificate.expiring.v1': CertificateExpiringV1,
} as const;

type SigningEventClasses = typeof SIGNING_EVENT_CLASSES;

/** A signing event narrowed by `type`: `switch (event.type)` gives each branch its data class without a cast. */
export type SigningEvent = {
  [T in keyof SigningEventClasses]: TypedCloudEvent<T, InstanceType<SigningEventClasses[T]>>;
}[keyof SigningEventClasses];
