import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type CloudEvent, dataschemaFor, sourceFor } from './cloud-event';
import { EventContractError } from './event-errors';
import { type EventClass, eventTypeOf } from './event-type';
import { uuidv7 } from './uuid-v7';

export interface BuildEventInput<T extends object> {
  subject: string;
  unitcode: string;
  sequence: number;
  data: T;
  correlationid?: string;
  causationid?: string;
  time?: Date;
  id?: string;
}

/**
 * Builds a CloudEvent from a typed payload. The payload is validated against its class here,
 * on the producer side, so that an invalid event never reaches Kafka.
 */
export function buildEvent<T extends object>(
  eventClass: EventClass<T>,
  input: BuildEventInput<T>,
): CloudEvent<T> {
  const metadata = eventTypeOf(eventClass);
  const instance = input.data instanceof eventClass ? input.data : plainToInstance(eventClass, input.data);
  const problems = describeValidationErrors(
    validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }),
    'data',
  );
  if (!Number.isInteger(input.sequence) || input.sequence < 1)
    problems.push('sequence: must be an integer ≥ 1');
  if (!input.subject) problems.push('subject: must not be empty');
  if (!input.unitcode) problems.push('unitcode: must not be empty');
  if (problems.length > 0) throw new EventContractError('invalid-data', problems, metadata.type);

  const id = input.id ?? uuidv7();
  return {
    specversion: '1.0',
    id,
    source: sourceFor(metadata.producer),
    type: metadata.type,
    subject: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataschemaFor(metadata.type),
    data: instanceToPlain(instance) as T,
    unitcode: input.unitcode,
    correlationid: input.correlationid ?? id,
    ...(input.causationid ? { causationid: input.causationid } : {}),
    sequence: input.sequence,
  };
}

/** Flattens class-validator errors into `path: reason` lines. */
export function describeValidationErrors(errors: ValidationError[], prefix: string): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) lines.push(`${path}: ${message}`);
    if (error.children?.length) lines.push(...describeValidationErrors(error.children, path));
  }
  return lines;
}
