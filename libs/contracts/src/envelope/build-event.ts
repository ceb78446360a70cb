import { instanceToPlain, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type CloudEvent, dataschemaFor, sourceFor } from './cloud-event';
import { UNIT_CODE_PATTERN } from '../shared/validators';
import { subjectProblem } from './aggregate-subject';
import { traceContextProblems } from './trace-context';
import { compiledValidatorFor } from './compiled-validator';
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
  /** The W3C trace context of the producing span (platform's `eventTrace()` gives both). */
  traceparent?: string;
  tracestate?: string;
  time?: Date;
  id?: string;
}

export interface BuildEventOptions {
  /**
   * `compiled` (default): the payload is checked by the class's compiled validator (see
   * parseEvent), and only a payload it does not accept goes through class-validator, which then
   * gives the verdict and the reasons. `class-validator`: always plainToInstance + validateSync
   * + instanceToPlain (the reference the tests compare with).
   */
  validation?: 'compiled' | 'class-validator';
}

/**
 * Builds a CloudEvent from a typed payload. The payload is validated against its class here,
 * on the producer side, so that an invalid event never reaches Kafka.
 */
export function buildEvent<T extends object>(
  eventClass: EventClass<T>,
  input: BuildEventInput<T>,
  options: BuildEventOptions = {},
): CloudEvent<T> {
  const metadata = eventTypeOf(eventClass);
  let data = options.validation === 'class-validator' ? undefined : compiledPayload(eventClass, input.data);
  const problems: string[] = [];
  if (data === undefined) {
    const instance = input.data instanceof eventClass ? input.data : plainToInstance(eventClass, input.data);
    problems.push(
      ...describeValidationErrors(
        validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }),
        'data',
      ),
    );
    if (problems.length === 0) data = instanceToPlain(instance) as T;
  }
  if (!Number.isInteger(input.sequence) || input.sequence < 1)
    problems.push('sequence: must be an integer ≥ 1');
  if (!input.subject) problems.push('subject: must not be empty');
  else if (data !== undefined) {
    // What parseEvent would refuse is refused here, before it reaches Kafka.
    const problem = subjectProblem(eventClass, input.subject, data as Record<string, unknown>);
    if (problem) problems.push(problem);
  }
  if (!input.unitcode) problems.push('unitcode: must not be empty');
  else if (!UNIT_CODE_PATTERN.test(input.unitcode))
    problems.push('unitcode: must be a 5-digit unit code or a department code');
  if (input.traceparent !== undefined || input.tracestate !== undefined)
    problems.push(...traceContextProblems(input.traceparent, input.tracestate));
  if (problems.length > 0) throw new EventContractError('invalid-data', problems, metadata.type);

  const id = input.id ?? uuidv7();
  return {
    specversion: '1.0',
    id,
    source: sourceFor(metadata.producer),
    type: metadata.type,
    subject: input.subject,
    partitionkey: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: dataschemaFor(metadata.type),
    data: data!,
    unitcode: input.unitcode,
    correlationid: input.correlationid ?? id,
    ...(input.causationid ? { causationid: input.causationid } : {}),
    sequence: input.sequence,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    ...(input.tracestate ? { tracestate: input.tracestate } : {}),
  };
}

/**
 * The payload as instanceToPlain would give it after a passing validateSync (whitelist, unknown
 * properties forbidden), or undefined whenever the compiled checks cannot vouch for it: a class
 * without a compiled validator, a payload that is neither a plain object nor an instance of the
 * class, an unknown property, a failing check. class-validator then decides, as before.
 */
function compiledPayload<T extends object>(eventClass: EventClass<T>, payload: T): T | undefined {
  const validator = compiledValidatorFor(eventClass);
  if (!validator || payload === null || typeof payload !== 'object') return undefined;
  const prototype = Object.getPrototypeOf(payload) as unknown;
  if (prototype !== Object.prototype && prototype !== eventClass.prototype) return undefined;
  const plain = payload as Record<string, unknown>;
  for (const key of Object.keys(plain)) if (!validator.isWhitelisted(key)) return undefined;
  const instance = validator.instantiate(plain) as Record<string, unknown> | undefined;
  if (!instance) return undefined;
  // instanceToPlain of an instance holding JSON values only: its own properties, copied.
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(instance)) result[key] = instance[key];
  return result as T;
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
