import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { AuditCheckpointV1 } from './audit-checkpoint.v1';

/**
 * Every event the audit producer (each service's audit trail, libs/platform) publishes, type → data
 * class: the runtime source of the `AuditEvent` union (and of the catalogue-wide one in
 * `event-union.ts`); `event-union.spec.ts` checks it against the registered classes.
 */
export const AUDIT_EVENT_CLASSES = {
  'audit.checkpoint.v1': AuditCheckpointV1,
} as const;

type AuditEventClasses = typeof AUDIT_EVENT_CLASSES;

/** An audit event narrowed by `type`. */
export type AuditEvent = {
  [T in keyof AuditEventClasses]: TypedCloudEvent<T, InstanceType<AuditEventClasses[T]>>;
}[keyof AuditEventClasses];
