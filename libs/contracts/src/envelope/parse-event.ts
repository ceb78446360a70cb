import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { subjectProblem } from './aggregate-subject';
import { describeValidationErrors } from './build-event';
import type { CloudEvent } from './cloud-event';
import { compiledValidatorFor } from './compiled-validator';
import { EventContractError } from './event-errors';
import { type EventClass, eventClassFor } from './event-type';
import { UNIT_CODE_PATTERN, UTC_TIMESTAMP_PATTERN } from '../shared/validators';
import { isUuidV7 } from './uuid-v7';
import { traceContextProblems } from './trace-context';

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

// The envelope schema's patterns (schemas/cloudevent.json, generated from src/generate/json-schema.ts).
const SOURCE_PATTERN = /^\/two-tier-backbone\/[a-z][a-z-]*$/;
const TYPE_PATTERN = /^[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/;
// An absolute http(s) URL ending in schemas/<type>.json; records written before issue 18 carry the
// relative reference schemas/<type>.json (it resolves against the same catalogue base): accepted too.
const DATASCHEMA_PATTERN = /^(https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?\/)?schemas\/[a-z.-]+\.v[1-9][0-9]*\.json$/;

/** A NUL can only come from the escape `\u0000` in the JSON text (a raw one is not valid JSON). */
const NUL_ESCAPE = '\\u0000';

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
 *
 * What it accepts can be stored and keyed without surprises downstream (issue 11: a record that
 * parses and then fails in a consumer's SQL stops that consumer or a rebuild):
 * - every envelope attribute as the envelope schema says (patterns of `source`, `type`, `time`,
 *   `dataschema`, `unitcode`; non-empty `correlationid`/`causationid`);
 * - no string anywhere (envelope or data, keys included) holds a NUL character, which PostgreSQL
 *   text cannot store;
 * - `subject` is the aggregate id: when the payload class declares id fields (`…Id`, `…Serial`),
 *   the subject must equal one of them, so it carries that field's validated format (a UUIDv7 for
 *   a dossier) instead of anything a producer put there.
 */
export function parseEvent(
  value: Buffer | string | null | undefined,
  options: ParseEventOptions = {},
): CloudEvent {
  const text = value === null || value === undefined ? '' : value.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
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
  if (typeof event.source !== 'string' || !SOURCE_PATTERN.test(event.source))
    problems.push('source: must be /two-tier-backbone/<service>');
  if (typeof event.type !== 'string' || !TYPE_PATTERN.test(event.type))
    problems.push('type: must be <aggregate>.<past-tense verb>.v<N>');
  if (typeof event.subject !== 'string' || event.subject === '')
    problems.push('subject: must be a non-empty string');
  if (
    typeof event.time !== 'string' ||
    !UTC_TIMESTAMP_PATTERN.test(event.time) ||
    Number.isNaN(Date.parse(event.time))
  )
    problems.push('time: must be an RFC 3339 UTC timestamp ending in Z');
  if (event.datacontenttype !== 'application/json')
    problems.push('datacontenttype: must be "application/json"');
  if (
    event.dataschema !== undefined &&
    (typeof event.dataschema !== 'string' || !DATASCHEMA_PATTERN.test(event.dataschema))
  )
    problems.push('dataschema: must be the URL of schemas/<type>.json');
  if (event.partitionkey !== undefined && event.partitionkey !== event.subject)
    problems.push('partitionkey: must equal subject (the Kafka key)');
  if (typeof event.unitcode !== 'string' || !UNIT_CODE_PATTERN.test(event.unitcode))
    problems.push('unitcode: must be a 5-digit unit code or a department code');
  if (typeof event.correlationid !== 'string' || event.correlationid === '')
    problems.push('correlationid: must be a non-empty string');
  if (event.causationid !== undefined && (typeof event.causationid !== 'string' || event.causationid === ''))
    problems.push('causationid: must be a non-empty string');
  if (!Number.isInteger(event.sequence) || (event.sequence as number) < 1)
    problems.push('sequence: must be an integer ≥ 1');
  if (typeof event.data !== 'object' || Array.isArray(event.data))
    problems.push('data: must be a JSON object');
  if (event.traceparent !== undefined || event.tracestate !== undefined)
    problems.push(...traceContextProblems(event.traceparent, event.tracestate));
  // Cheap when there is none: one substring search of the text, the walk only when it is there.
  const nulAt = text.includes(NUL_ESCAPE) ? pathsWithNul(event, '') : [];
  for (const path of nulAt)
    if (!path.startsWith('data.') && path !== 'data') problems.push(`${path}: must not contain NUL (U+0000)`);
  if (problems.length > 0) throw new EventContractError('invalid-attribute', problems, type);
  const dataNul = nulAt.filter((path) => path.startsWith('data.') || path === 'data');
  if (dataNul.length > 0)
    throw new EventContractError(
      'invalid-data',
      dataNul.map((path) => `${path}: must not contain NUL (U+0000)`),
      type,
    );

  const eventClass = eventClassFor(type);
  if (!eventClass)
    throw new EventContractError('unknown-type', [`type: "${type}" is not in the event catalogue`], type);

  if (options.validation !== 'class-validator') {
    const fast = compiledValidatorFor(eventClass)?.instantiate(event.data as Record<string, unknown>);
    if (fast) {
      assertSubjectIsAggregateId(event, fast as Record<string, unknown>, eventClass, type);
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
  assertSubjectIsAggregateId(event, data as Record<string, unknown>, eventClass, type);

  return { ...(event as unknown as CloudEvent), data };
}

function assertSubjectIsAggregateId(
  event: Record<string, unknown>,
  data: Record<string, unknown>,
  eventClass: EventClass,
  type: string,
): void {
  const problem = subjectProblem(eventClass, event.subject, data);
  if (problem) throw new EventContractError('invalid-attribute', [problem], type);
}

/** Paths of the strings (values or keys) holding a NUL, e.g. `data.field`, `subject`. */
function pathsWithNul(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || 'value'] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => found.push(...pathsWithNul(item, `${path}[${index}]`)));
    return found;
  }
  for (const [key, item] of Object.entries(value)) {
    // Printed as the escape, so that the problem line itself holds no NUL.
    const printable = key.replaceAll('\u0000', '\\u0000');
    const itemPath = path ? `${path}.${printable}` : printable;
    if (key.includes('\u0000')) found.push(itemPath);
    found.push(...pathsWithNul(item, itemPath));
  }
  return found;
}

/** Narrows a parsed event to one event class's payload type. */
export function isEventOf<T extends object>(
  event: CloudEvent,
  eventClass: new (...args: never[]) => T,
): event is CloudEvent<T> {
  return event.data instanceof eventClass;
}
