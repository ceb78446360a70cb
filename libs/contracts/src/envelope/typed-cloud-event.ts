import type { CloudEvent } from './cloud-event';

/** A {@link CloudEvent} whose `type` is one literal and whose `data` is that type's class: a member of an event union. */
export interface TypedCloudEvent<TType extends string, TData extends object> extends CloudEvent<TData> {
  type: TType;
}
