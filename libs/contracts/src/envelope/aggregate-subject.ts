import { getMetadataStorage } from 'class-validator';
import type { EventClass } from './event-type';

const ID_FIELD = /(Id|Serial)$/;
const idFieldsByClass = new Map<EventClass, readonly string[]>();

/** The payload's validated id fields (`…Id`, `…Serial`), read once per class. */
function idFieldsOf(eventClass: EventClass): readonly string[] {
  let fields = idFieldsByClass.get(eventClass);
  if (!fields) {
    const names = getMetadataStorage()
      .getTargetValidationMetadatas(eventClass, '', false, false, undefined)
      .map((metadata) => metadata.propertyName);
    fields = [...new Set(names)].filter((name) => ID_FIELD.test(name));
    idFieldsByClass.set(eventClass, fields);
  }
  return fields;
}

/**
 * `subject` is the aggregate id, also the Kafka key (every catalogue class documents which field
 * it is). When the payload class declares id fields, the subject must equal one of them, so it
 * carries that field's validated format (a UUIDv7 for a dossier) and not whatever a producer put
 * there. Returns the problem line, or undefined when the subject is fine.
 */
export function subjectProblem(
  eventClass: EventClass,
  subject: unknown,
  data: Record<string, unknown>,
): string | undefined {
  const fields = idFieldsOf(eventClass);
  if (fields.length === 0) return undefined;
  for (const field of fields) if (data[field] === subject) return undefined;
  return `subject: must be the aggregate id (data.${fields.join(' or data.')})`;
}
