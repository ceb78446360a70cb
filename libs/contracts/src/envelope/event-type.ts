/** What every event class declares about itself: its CloudEvents `type`, topic and aggregate. */
export interface EventTypeMetadata {
  /** `<aggregate>.<past-tense verb>.v<N>`, e.g. `dossier.received.v1`. */
  type: string;
  /** The producing service's topic, e.g. `dossier.events.v1`. */
  topic: string;
  /** The producing service, used for `source` (`/two-tier-backbone/<service>`). */
  producer: string;
  /** The aggregate named by `subject` (and used as the Kafka key). */
  aggregate: string;
  /** One sentence for the schema and AsyncAPI documents. */
  description: string;
}

// A class constructor of any payload shape; `any[]` is the TypeScript idiom for "any constructor arguments".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventClass<T extends object = object> = new (...args: any[]) => T;

const metadataKey = Symbol('backbone:event-type');

interface WithEventMetadata {
  [metadataKey]?: EventTypeMetadata;
}

const registry = new Map<string, EventClass>();

/**
 * Marks a payload class as the `data` of one versioned event type and registers it in the
 * catalogue, so that `parseEvent` can find the class for a `type` read off Kafka.
 */
export function EventType(metadata: EventTypeMetadata) {
  if (!/^[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/.test(metadata.type)) {
    throw new Error(`Event type "${metadata.type}" does not follow <aggregate>.<past-tense-verb>.v<N>`);
  }
  return function register<T extends EventClass>(target: T): T {
    const existing = registry.get(metadata.type);
    if (existing && existing !== target) {
      throw new Error(
        `Event type "${metadata.type}" is declared twice (${existing.name} and ${target.name})`,
      );
    }
    (target as unknown as WithEventMetadata)[metadataKey] = metadata;
    registry.set(metadata.type, target);
    return target;
  };
}

export function eventTypeOf(eventClass: EventClass): EventTypeMetadata {
  const metadata = (eventClass as unknown as WithEventMetadata)[metadataKey];
  if (!metadata) throw new Error(`${eventClass.name} is not an event class (no @EventType)`);
  return metadata;
}

export function eventClassFor(type: string): EventClass | undefined {
  return registry.get(type);
}

/** Every registered event type, sorted by type name (stable order for generated documents). */
export function registeredEventTypes(): { metadata: EventTypeMetadata; eventClass: EventClass }[] {
  return [...registry.values()]
    .map((eventClass) => ({ metadata: eventTypeOf(eventClass), eventClass }))
    .sort((a, b) => a.metadata.type.localeCompare(b.metadata.type));
}
