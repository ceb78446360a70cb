import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { Type } from 'class-transformer';
import {
  allFixtures,
  buildEvent,
  type CloudEvent,
  EventContractError,
  EventType,
  parseEvent,
} from '../index';
import { compiledValidatorFor } from './compiled-validator';
import { eventClassFor } from './event-type';

/*
 * parseEvent's compiled path must decide exactly as class-validator does and return the same
 * typed event. Both paths run here on every fixture and on damaged copies of each (every field
 * removed, null, of another type, an unknown field added), and the outcomes are compared: the same
 * event (same class, same own properties) or the same EventContractError (reason and problems).
 * The checked-in JSON Schemas are run on the same inputs, so schema, compiled path and
 * class-validator are shown to agree.
 */

type Outcome =
  | { kind: 'event'; event: CloudEvent; dataClass: unknown; dataKeys: string[] }
  | { kind: 'error'; reason: string; problems: string[] };

function outcomeOf(value: string, validation: 'compiled' | 'class-validator'): Outcome {
  try {
    const event = parseEvent(value, { validation });
    return {
      kind: 'event',
      event,
      dataClass: Object.getPrototypeOf(event.data),
      dataKeys: Object.keys(event.data),
    };
  } catch (error) {
    if (!(error instanceof EventContractError)) throw error;
    return { kind: 'error', reason: error.reason, problems: error.problems };
  }
}

function expectSameOutcome(event: unknown): Outcome {
  const value = JSON.stringify(event);
  const compiled = outcomeOf(value, 'compiled');
  const reference = outcomeOf(value, 'class-validator');
  expect(compiled).toEqual(reference);
  if (compiled.kind === 'event' && reference.kind === 'event') {
    expect(compiled.dataClass).toBe(reference.dataClass);
    // Own properties, undefined ones included: the instance looks the same, not only its JSON.
    expect(compiled.event.data).toStrictEqual(reference.event.data);
  }
  return compiled;
}

const SCHEMAS_DIR = join(__dirname, '..', '..', 'schemas');
const ajv = addFormats(new Ajv({ allErrors: true }));
const schemaFor = (type: string): ValidateFunction =>
  ajv.getSchema(`schemas/${type}.json`) ??
  ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, `${type}.json`), 'utf8')) as object);

const fixtures = allFixtures();

describe('parseEvent: the compiled path agrees with class-validator', () => {
  it('every catalogue type without nested payloads has a compiled validator', () => {
    const withoutOne = fixtures
      .map((fixture) => fixture.type)
      .filter((type) => compiledValidatorFor(eventClassFor(type)!) === null);
    // signature.* carry a nested SignatureReference (ValidateNested), and calendar.official-year-set
    // and party-member.arrears-flagged validate each item of a list (`each`; few events): left to
    // class-validator.
    const eachValidated = ['calendar.official-year-set.v1', 'party-member.arrears-flagged.v1'];
    expect(withoutOne.every((type) => type.startsWith('signature.') || eachValidated.includes(type))).toBe(
      true,
    );
  });

  describe.each(fixtures.map((fixture) => [fixture.type, fixture] as const))('%s', (type, fixture) => {
    const data = fixture.data as Record<string, unknown>;
    const damaged: [string, Record<string, unknown>][] = [['as is', { ...data }]];
    for (const field of Object.keys(data)) {
      const without = { ...data };
      delete without[field];
      damaged.push([`without ${field}`, without]);
      damaged.push([`${field} null`, { ...data, [field]: null }]);
      damaged.push([`${field} a number`, { ...data, [field]: 12 }]);
      damaged.push([`${field} a string`, { ...data, [field]: 'not-the-type' }]);
      damaged.push([`${field} an object`, { ...data, [field]: { nested: true } }]);
      damaged.push([`${field} an array`, { ...data, [field]: [data[field]] }]);
    }
    damaged.push(['with an unknown field', { ...data, notInTheContract: 'dropped' }]);
    damaged.push(['with an unknown nested field', { ...data, extra: { deep: [1, { a: 2 }] } }]);

    it.each(damaged)('%s: same outcome on both paths, and the schema agrees', (_label, payload) => {
      const outcome = expectSameOutcome({ ...fixture, data: payload });
      // No exceptions: an optional field may be absent but not null (MayBeAbsent, not IsOptional), and
      // a nested object is never an array (IsObject beside ValidateNested), as the schemas say.
      if (outcome.kind === 'event' || outcome.reason === 'invalid-data') {
        expect(schemaFor(type)(payload)).toBe(outcome.kind === 'event');
      }
    });
  });

  it('dossier.resolved.v1: the conditional document hash, both ways', () => {
    const fixture = fixtures.find((f) => f.type === 'dossier.resolved.v1')!;
    const data = { ...(fixture.data as Record<string, unknown>) };
    delete data.resultDocumentSha256;
    expect(expectSameOutcome({ ...fixture, data }).kind).toBe('error');
    expect(expectSameOutcome({ ...fixture, data: { ...data, requiresSignature: false } }).kind).toBe('event');
  });

  it('envelope errors are untouched by the compiled path', () => {
    const fixture = fixtures[0]!;
    expect(expectSameOutcome({ ...fixture, id: 'nope' })).toMatchObject({ reason: 'invalid-attribute' });
    expect(expectSameOutcome({ ...fixture, type: 'x.y.v1' })).toMatchObject({ reason: 'unknown-type' });
    expect(expectSameOutcome({ ...fixture, data: undefined })).toMatchObject({ reason: 'missing-attribute' });
  });
});

describe('compiled validator: what it reproduces and what it leaves to class-validator', () => {
  @ValidatorConstraint({ name: 'evenNumber' })
  class EvenNumber implements ValidatorConstraintInterface {
    validate(value: unknown) {
      return typeof value === 'number' && value % 2 === 0;
    }
  }

  @EventType({
    type: 'fast-path-probe.recorded.v1',
    topic: 'fast-path-probe.events.v1',
    producer: 'fast-path-probe',
    aggregate: 'fast-path-probe',
    description: 'A probe for the compiled validator test.',
  })
  class FastPathProbeRecorded {
    @IsString()
    probeId!: string;

    @IsOptional()
    @IsInt()
    @Min(3)
    optionalCount?: number;

    @IsBoolean()
    flagged!: boolean;

    @ValidateIf((o: FastPathProbeRecorded) => o.flagged === true)
    @IsString()
    reason?: string;

    @Validate(EvenNumber)
    even!: number;
  }

  class ProbeReference {
    @IsString()
    ref!: string;
  }

  @EventType({
    type: 'fast-path-nested.recorded.v1',
    topic: 'fast-path-probe.events.v1',
    producer: 'fast-path-probe',
    aggregate: 'fast-path-nested',
    description: 'A nested probe for the compiled validator test.',
  })
  class FastPathNestedRecorded {
    @ValidateNested()
    @Type(() => ProbeReference)
    reference!: ProbeReference;
  }

  const base = buildEvent(FastPathProbeRecorded, {
    subject: 'probe-1',
    unitcode: '00070',
    sequence: 1,
    data: { probeId: 'probe-1', flagged: false, even: 2 },
  });

  it('IsOptional, ValidateIf and a custom constraint decide as class-validator does', () => {
    expect(compiledValidatorFor(FastPathProbeRecorded)).not.toBeNull();
    const cases: Record<string, unknown>[] = [
      { probeId: 'probe-1', flagged: false, even: 2 },
      { probeId: 'probe-1', flagged: false, even: 3 },
      { probeId: 'probe-1', flagged: true, even: 2 },
      { probeId: 'probe-1', flagged: true, even: 2, reason: 'why' },
      { probeId: 'probe-1', flagged: true, even: 2, reason: 5 },
      { probeId: 'probe-1', flagged: false, even: 2, reason: 5 },
      { probeId: 'probe-1', flagged: false, even: 2, optionalCount: null },
      { probeId: 'probe-1', flagged: false, even: 2, optionalCount: 2 },
      { probeId: 'probe-1', flagged: false, even: 2, optionalCount: 3 },
      { probeId: 'probe-1', flagged: false, even: 2, optionalCount: 3.5 },
      { probeId: 'probe-1', flagged: 'yes', even: 2 },
      { flagged: false, even: 2 },
      { probeId: 'probe-1', flagged: false, even: 2, stray: 'dropped' },
    ];
    const kinds = cases.map((data) => expectSameOutcome({ ...base, data }).kind);
    expect(kinds).toEqual([
      'event',
      'error',
      'error',
      'event',
      'error',
      'event',
      'event',
      'error',
      'event',
      'error',
      'error',
      'error',
      'event',
    ]);
  });

  it('a class with nested validation has no compiled validator and still parses through class-validator', () => {
    expect(compiledValidatorFor(FastPathNestedRecorded)).toBeNull();
    const nested = buildEvent(FastPathNestedRecorded, {
      subject: 'probe-2',
      unitcode: '00070',
      sequence: 1,
      data: { reference: { ref: 'r' } },
    });
    expect(expectSameOutcome(nested).kind).toBe('event');
    expect(expectSameOutcome({ ...nested, data: { reference: { ref: 1 } } }).kind).toBe('error');
  });
});
