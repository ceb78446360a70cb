import { readFileSync } from 'node:fs';
import { generateContracts, BASELINE_PATH, ENVELOPE_BASELINE_KEY } from '../generate/contract-files';
import { envelopeSchema } from '../generate/json-schema';
import { checkCompatibility, snapshotOf, type CompatBaseline } from './compatibility';

const before = snapshotOf({
  'thing.happened.v1': {
    type: 'object',
    properties: {
      thingId: { type: 'string' },
      amountVnd: { type: 'integer' },
      happenedAt: { type: 'string', format: 'date-time' },
      note: { type: 'string' },
      kind: { type: 'string', enum: ['a', 'b'] },
      reference: {
        type: 'object',
        properties: { id: { type: 'string' }, code: { type: 'string' } },
        required: ['id'],
      },
    },
    required: ['thingId', 'amountVnd', 'happenedAt', 'kind', 'reference'],
  },
});

/** `before` with one change applied to a deep copy. */
function changed(edit: (baseline: CompatBaseline) => void): CompatBaseline {
  const copy = structuredClone(before);
  edit(copy);
  return copy;
}
const kinds = (after: CompatBaseline) => checkCompatibility(before, after).map((change) => change.kind);

describe('checkCompatibility', () => {
  it('records type, format, enum and required per field, nested fields by dotted path', () => {
    expect(before['thing.happened.v1']).toEqual({
      thingId: { type: 'string', required: true },
      amountVnd: { type: 'integer', required: true },
      happenedAt: { type: 'string', required: true, format: 'date-time' },
      note: { type: 'string', required: false },
      kind: { type: 'string', required: true, enum: ['a', 'b'] },
      reference: { type: 'object', required: true },
      'reference.id': { type: 'string', required: true },
      'reference.code': { type: 'string', required: false },
    });
  });

  it('passes an identical catalogue', () => {
    expect(checkCompatibility(before, structuredClone(before))).toEqual([]);
  });

  it('passes an added optional field and a new event type', () => {
    const after = changed((b) => {
      b['thing.happened.v1']!.comment = { type: 'string', required: false };
      b['thing.happened.v2'] = { thingId: { type: 'string', required: true } };
    });
    expect(checkCompatibility(before, after)).toEqual([]);
  });

  it('fails a removed field, naming it', () => {
    const after = changed((b) => delete b['thing.happened.v1']!.note);
    expect(checkCompatibility(before, after)).toEqual([
      {
        kind: 'field-removed',
        eventType: 'thing.happened.v1',
        field: 'note',
        detail: 'thing.happened.v1 note was removed',
      },
    ]);
  });

  it('fails a removed nested field', () => {
    expect(kinds(changed((b) => delete b['thing.happened.v1']!['reference.code']))).toEqual([
      'field-removed',
    ]);
  });

  it('fails a retyped field (integer → number, string → integer)', () => {
    expect(kinds(changed((b) => (b['thing.happened.v1']!.amountVnd!.type = 'number')))).toEqual([
      'field-retyped',
    ]);
    expect(kinds(changed((b) => (b['thing.happened.v1']!.thingId!.type = 'integer')))).toEqual([
      'field-retyped',
    ]);
  });

  it('fails a changed format (a date-time that becomes a free string)', () => {
    expect(kinds(changed((b) => delete b['thing.happened.v1']!.happenedAt!.format))).toEqual([
      'field-retyped',
    ]);
  });

  it('fails an optional field made required, and a required one made optional', () => {
    expect(kinds(changed((b) => (b['thing.happened.v1']!.note!.required = true)))).toEqual([
      'field-became-required',
    ]);
    expect(kinds(changed((b) => (b['thing.happened.v1']!.thingId!.required = false)))).toEqual([
      'field-became-optional',
    ]);
  });

  it('fails a new required field (old events do not have it)', () => {
    const after = changed((b) => (b['thing.happened.v1']!.extra = { type: 'string', required: true }));
    expect(kinds(after)).toEqual(['required-field-added']);
  });

  it('fails an enum that gains or loses a value', () => {
    expect(kinds(changed((b) => b['thing.happened.v1']!.kind!.enum!.push('c')))).toEqual(['enum-changed']);
    expect(kinds(changed((b) => b['thing.happened.v1']!.kind!.enum!.pop()))).toEqual(['enum-changed']);
  });

  it('fails a removed event version', () => {
    expect(kinds(changed((b) => delete b['thing.happened.v1']))).toEqual(['event-removed']);
  });

  it('works from real JSON Schemas: removing or retyping a field of a real schema fails', () => {
    const schema = {
      type: 'object',
      properties: { dossierId: { type: 'string' }, feeVnd: { type: 'integer', minimum: 0 } },
      required: ['dossierId', 'feeVnd'],
    };
    const old = snapshotOf({ 'dossier.received.v1': schema });
    const retyped = snapshotOf({
      'dossier.received.v1': { ...schema, properties: { ...schema.properties, feeVnd: { type: 'string' } } },
    });
    const removed = snapshotOf({
      'dossier.received.v1': {
        ...schema,
        properties: { dossierId: { type: 'string' } },
        required: ['dossierId'],
      },
    });
    expect(checkCompatibility(old, retyped).map((c) => c.kind)).toEqual(['field-retyped']);
    expect(checkCompatibility(old, removed).map((c) => c.kind)).toEqual(['field-removed']);
  });
});

describe('the current event catalogue against the checked-in baseline', () => {
  it('breaks no published event version', () => {
    const baseline = JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as CompatBaseline;
    expect(checkCompatibility(baseline, generateContracts().snapshot)).toEqual([]);
  });
});

describe('the envelope is in the baseline: its attributes follow the same rule (issue 18)', () => {
  const envelope = () => structuredClone(envelopeSchema()) as Record<string, unknown>;
  const properties = (schema: Record<string, unknown>) =>
    schema.properties as Record<string, Record<string, unknown>>;
  const before = snapshotOf({ [ENVELOPE_BASELINE_KEY]: envelope() });

  it('records every envelope attribute, dataschema as a URI', () => {
    const recorded = generateContracts().snapshot[ENVELOPE_BASELINE_KEY]!;
    expect(recorded.dataschema).toEqual({ type: 'string', required: false, format: 'uri' });
    expect(recorded.partitionkey).toEqual({ type: 'string', required: false });
    expect(recorded.sequence).toEqual({ type: 'integer', required: true });
  });

  it('an optional extension (e.g. traceparent) passes; removing, retyping or requiring one fails', () => {
    const added = envelope();
    properties(added).traceparent = { type: 'string' };
    expect(checkCompatibility(before, snapshotOf({ [ENVELOPE_BASELINE_KEY]: added }))).toEqual([]);

    const removed = envelope();
    delete properties(removed).partitionkey;
    const retyped = envelope();
    properties(retyped).sequence = { type: 'string' };
    const required = envelope();
    (required.required as string[]).push('dataschema');
    const kinds = (schema: Record<string, unknown>) =>
      checkCompatibility(before, snapshotOf({ [ENVELOPE_BASELINE_KEY]: schema })).map((c) => c.kind);
    expect(kinds(removed)).toEqual(['field-removed']);
    expect(kinds(retyped)).toEqual(['field-retyped']);
    expect(kinds(required)).toEqual(['field-became-required']);
  });

  it('dropping the URI format of dataschema (back to a relative reference) fails', () => {
    const relative = envelope();
    const { format: _format, ...rest } = properties(relative).dataschema!;
    properties(relative).dataschema = rest;
    expect(
      checkCompatibility(before, snapshotOf({ [ENVELOPE_BASELINE_KEY]: relative })).map((c) => c.kind),
    ).toEqual(['field-retyped']);
  });
});
