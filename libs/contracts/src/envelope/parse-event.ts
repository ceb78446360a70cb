import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeValidationErrors } from './build-event';
import type { CloudEvent } from './cloud-event';
import { compiledValidatorFor } from './compiled-validator';
import { EventContractError } from './event-errors';
import { eventClassFor } from './event-type';
import { isUuidV7 } from './uuid-v7';

// Hoisted: parseEvent runs once per consumed record.
const REQUIRED_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'data',
  'unitcode',
  'correlationid',
  'sequence',
] as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ParseEventOptions {
  /**
   * `compiled` (default): the payload is checked by the class's compiled validator (the same
   * constraint functions, without class-validator's per-call overhead), and only a payload it
   * does not accept goes through class-validator, which then gives the verdict and the reasons.
   * `class-validator`: always plainToInstance + validateSync (the reference the tests compare with).
   */
  validation?: 'compiled' | 'class-validator';
}

/**
 * Parses a Kafka record value into a typed, validated CloudEvent. Everything that can be wrong
 * with a record becomes an EventContractError with a reason and the failing attributes or
 * fields; nothing else is thrown.
 */
export function parseEvent(
  value: Buffer | string | null | undefined,
  options: ParseEventOptions = {},
): CloudEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(value === null || value === undefined ? '' : value.toString('utf8'));
  } catch (error) {
    throw new EventContractError('invalid-json', [`value: not JSON (${(error as Error).message})`]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EventContractError('invalid-json', ['value: must be a JSON object']);
  }
  const event = raw as Record<string, unknown>;

  let missing: string[] | undefined;
  for (const name of REQUIRED_ATTRIBUTES)
    if (event[name] === undefined || event[name] === null) (missing ??= []).push(name);
  if (missing) {
    throw new EventContractError(
      'missing-attribute',
      missing.map((name) => `${name}: is required`),
      typeof event.type === 'string' ? event.type : undefined,
    );
  }

  const type = String(event.type);
  const problems: string[] = [];
  if (event.specversion !== '1.0') problems.push('specversion: must be "1.0"');
  if (!isUuidV7(event.id)) problems.push('id: must be a UUIDv7');
  if (typeof event.source !== 'string' || event.source === '')
    problems.push('source: must be a non-empty string');
  if (typeof event.subject !== 'string' || event.subject === '')
    problems.push('subject: must be a non-empty string');
  if (typeof event.time !== 'string' || !RFC3339.test(event.time) || Number.isNaN(Date.parse(event.time)))
    problems.push('time: must be an RFC 3339 timestamp');
  if (event.datacontenttype !== 'application/json')
    problems.push('datacontenttype: must be "application/json"');
  if (typeof event.unitcode !== 'string' || event.unitcode === '')
    problems.push('unitcode: must be a non-empty string');
  if (typeof event.correlationid !== 'string' || event.correlationid === '')
    problems.push('correlationid: must be a non-empty string');
  if (event.causationid !== undefined && typeof event.causationid !== 'string')
    problems.push('causationid: must be a string');
  if (!Number.isInteger(event.sequence) || (event.sequence as number) < 1)
    problems.push('sequence: must be an integer ≥ 1');
  if (typeof event.data !== 'object' || Array.isArray(event.data))
    problems.push('data: must be a JSON object');
  if (problems.length > 0) throw new EventContractError('invalid-attribute', problems, type);

  const eventClass = eventClassFor(type);
  if (!eventClass)
    throw new EventContractError('unknown-type', [`type: "${type}" is not in the event catalogue`], type);

  if (options.validation !== 'class-validator') {
    const fast = compiledValidatorFor(eventClass)?.instantiate(event.data as Record<string, unknown>);
    if (fast) {
      // `event` is the object JSON.parse just made, owned here: replacing its data saves a copy per record.
      event.data = fast;
      return event as unknown as CloudEvent;
    }
  }
  const data = plainToInstance(eventClass, event.data);
  const dataProblems = describeValidationErrors(
    validateSync(data, { whitelist: true, forbidNonWhitelisted: false }),
    'data',
  );
  if (dataProblems.length > 0) throw new EventContractError('invalid-data', dataProblems, type);

  return { ...(event as unknown as CloudEvent), data };
}

/** Narrows a parsed event to one event class's payload type. */
export function isEventOf<T extends object>(
  event: CloudEvent,
  eventClass: new (...args: never[]) => T,
): event is CloudEvent<T> {
  return event.data instanceof eventClass;
}
