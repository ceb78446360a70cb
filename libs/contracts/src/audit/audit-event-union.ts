import type { TypedCloudEvent } from '../envelope/typed-cloud-event';
import { AuditCheckpointV1 } from './audit-checkpoint.v1';

/** Every event on audit.events.v1, type → data class (see `event-union.ts`). */
export const AUDIT_EVENT_CLASSES = {
  'audit.checkpoint.v1': AuditCheckpointV1,
} as const;

type AuditEventClasses = typeof AUDIT_EVENT_CLASSES;

/** An audit event narrowed by `type`. */
export type AuditEvent = {
  [T in keyof AuditEventClasses]: TypedCloudEvent<T, InstanceType<AuditEventClasses[T]>>;
}[keyof AuditEventClasses];
