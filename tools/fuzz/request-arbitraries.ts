import fc from 'fast-check';
import {
  deeplyNestedArray,
  deeplyNestedObject,
  HOSTILE_BODIES,
  HOSTILE_DATES,
  HOSTILE_NUMBERS,
  HOSTILE_STRINGS,
  longString,
  RawText,
  WRONG_TYPES,
} from './hostile-values';
import type { FuzzOperation, JsonSchema, ParameterSpec } from './openapi-operations';

/**
 * valid: what the schema accepts (known domain values where they fit a pattern, so requests get
 * past validation into the handlers); boundary: the edges of each constraint and one step past;
 * hostile: values no client should send (see hostile-values.ts).
 */
export type Flavour = 'valid' | 'boundary' | 'hostile';

export type FieldPath = readonly (string | number)[];

/** One change applied to an otherwise valid request; data, so a failing case prints readably. */
export type Mutation =
  | { kind: 'path'; name: string; value: unknown }
  | { kind: 'query'; name: string; value: unknown }
  | { kind: 'drop-query'; name: string }
  | { kind: 'extra-query'; name: string; value: unknown }
  | { kind: 'field'; path: FieldPath; value: unknown }
  | { kind: 'drop-field'; path: FieldPath }
  | { kind: 'extra-field'; name: string; value: unknown }
  | { kind: 'body'; raw: RawText }
  | { kind: 'content-type'; value: string };

export interface FuzzRequest {
  operation: string;
  flavour: Flavour;
  /** Index into the suite's callers (roles and units, or no token). */
  caller: number;
  pathParameters: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The valid JSON body the mutations start from; absent when the route takes none. */
  body?: unknown;
  mutations: Mutation[];
}

export interface GeneratorOptions {
  /** The services' body limit (BODY_LIMIT_BYTES): huge values are sized just under and over it. */
  bodyLimitBytes: number;
  /** How many callers the suite signs tokens for. */
  callers: number;
  /** Domain values (unit codes, procedure codes, days) preferred wherever a pattern accepts them. */
  knownValues?: readonly string[];
  /** Known values for fields whose name matches (`unitCode` → unit codes), before the general ones. */
  knownValuesByField?: readonly { field: RegExp; values: readonly string[] }[];
  /** Levels of the deeply nested JSON values (10,000 by default). */
  nestingLevels?: number;
}

/** Values a URL carries verbatim: invalid percent-encoding and encoded control characters. */
const RAW_URL_PIECES: readonly RawText[] = [
  new RawText('%FF'),
  new RawText('%'),
  new RawText('%C0%AF'),
  new RawText('%00'),
  new RawText('%2e%2e%2f'),
  new RawText('a%2Fb'),
];

export function requestArbitrary(
  operation: FuzzOperation,
  options: GeneratorOptions,
): fc.Arbitrary<FuzzRequest> {
  const values = new ValueArbitraries(options);
  const pathParameters = recordOf(operation.pathParameters, (p) => values.valid(p.schema, p.name), true);
  const query = recordOf(operation.queryParameters, (p) => values.valid(p.schema, p.name), false);
  const body = operation.body ? values.valid(operation.body.schema, 'body') : fc.constant(undefined);
  const caller = fc.integer({ min: 0, max: Math.max(0, options.callers - 1) });

  const flavour = fc.oneof(
    { arbitrary: fc.constant<Flavour>('valid'), weight: 3 },
    { arbitrary: fc.constant<Flavour>('boundary'), weight: 2 },
    { arbitrary: fc.constant<Flavour>('hostile'), weight: 5 },
  );
  return fc
    .record({ flavour, caller, pathParameters, query, body })
    .chain((valid) => {
      const mutations =
        valid.flavour === 'valid'
          ? fc.constant<Mutation[]>([])
          : fc.array(mutationArbitrary(operation, valid.flavour, values), { minLength: 1, maxLength: 3 });
      return mutations.map((list) => ({
        operation: operation.id,
        ...valid,
        ...(operation.body ? {} : { body: undefined }),
        mutations: list,
      }));
    })
    .map(({ body, ...request }) => (body === undefined ? request : { ...request, body }));
}

function recordOf(
  parameters: readonly ParameterSpec[],
  arbitraryFor: (parameter: ParameterSpec) => fc.Arbitrary<unknown>,
  allRequired: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(parameters.map((p) => [p.name, arbitraryFor(p)]));
  const requiredKeys = parameters.filter((p) => allRequired || p.required).map((p) => p.name);
  return fc.record(model, { requiredKeys });
}

function mutationArbitrary(
  operation: FuzzOperation,
  flavour: Exclude<Flavour, 'valid'>,
  values: ValueArbitraries,
): fc.Arbitrary<Mutation> {
  const edge = (schema: JsonSchema) =>
    flavour === 'boundary' ? values.boundary(schema) : values.hostile(schema, flavour);
  const candidates: fc.WeightedArbitrary<Mutation>[] = [];
  for (const parameter of operation.pathParameters) {
    const value = fc.oneof(edge(parameter.schema), fc.constantFrom(...RAW_URL_PIECES));
    candidates.push({
      arbitrary: value.map((v): Mutation => ({ kind: 'path', name: parameter.name, value: v })),
      weight: 2,
    });
  }
  for (const parameter of operation.queryParameters) {
    const value = fc.oneof(edge(parameter.schema), fc.constantFrom(...RAW_URL_PIECES));
    candidates.push({
      arbitrary: value.map((v): Mutation => ({ kind: 'query', name: parameter.name, value: v })),
      weight: 3,
    });
    if (parameter.required) {
      candidates.push({
        arbitrary: fc.constant<Mutation>({ kind: 'drop-query', name: parameter.name }),
        weight: 1,
      });
    }
  }
  candidates.push({
    arbitrary: fc
      .tuple(fc.constantFrom('extra', 'limit', '__proto__', 'unit[]'), values.hostile({}, flavour))
      .map(([name, value]): Mutation => ({ kind: 'extra-query', name, value })),
    weight: 1,
  });
  if (operation.body) {
    for (const { path, schema, required } of fieldsOf(operation.body.schema)) {
      candidates.push({
        arbitrary: edge(schema).map((value): Mutation => ({ kind: 'field', path, value })),
        weight: 4,
      });
      if (required)
        candidates.push({ arbitrary: fc.constant<Mutation>({ kind: 'drop-field', path }), weight: 1 });
    }
    candidates.push(
      {
        arbitrary: fc
          .tuple(
            fc.constantFrom('extra', 'id', '__proto__', 'constructor', 'status'),
            values.hostile({}, flavour),
          )
          .map(([name, value]): Mutation => ({ kind: 'extra-field', name, value })),
        weight: 1,
      },
      { arbitrary: values.hostileBody().map((raw): Mutation => ({ kind: 'body', raw })), weight: 1 },
      {
        arbitrary: fc
          .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1')
          .map((value): Mutation => ({ kind: 'content-type', value })),
        weight: 1,
      },
    );
  }
  return fc.oneof(...candidates);
}

interface Field {
  path: FieldPath;
  schema: JsonSchema;
  required: boolean;
}

/** Every property of a body, nested objects and the first item of arrays included (3 levels). */
export function fieldsOf(schema: JsonSchema, prefix: FieldPath = [], depth = 0): Field[] {
  if (depth > 3) return [];
  const fields: Field[] = [];
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties)) {
      const path = [...prefix, name];
      fields.push({ path, schema: property, required: required.has(name) });
      fields.push(...fieldsOf(property, path, depth + 1));
    }
  }
  if (schema.items) fields.push(...fieldsOf(schema.items, [...prefix, 0], depth + 1));
  return fields;
}

class ValueArbitraries {
  private readonly huge: string[];
  private readonly nesting: number;

  constructor(private readonly options: GeneratorOptions) {
    // One just under the body limit (reaches validation and the database), one over it (413).
    this.huge = [longString(options.bodyLimitBytes - 1024), longString(options.bodyLimitBytes + 1)];
    this.nesting = options.nestingLevels ?? 10_000;
  }

  valid(schema: JsonSchema, name: string, depth = 0): fc.Arbitrary<unknown> {
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => this.valid(s, name, depth)));
    switch (typeOf(schema)) {
      case 'string':
        return this.validString(schema, name);
      case 'integer':
        return fc.integer({ min: lowerBound(schema, 0), max: upperBound(schema, 10_000_000) });
      case 'number':
        return fc.double({
          min: lowerBound(schema, 0),
          max: upperBound(schema, 1_000_000),
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const maxLength = Math.min(schema.maxItems ?? 5, 5);
        const minLength = Math.min(schema.minItems ?? 0, maxLength);
        if (depth > 4) return fc.constant([]);
        return fc.array(this.valid(schema.items ?? {}, name, depth + 1), { minLength, maxLength });
      }
      case 'object': {
        if (!schema.properties || depth > 4) return fc.constant({});
        const model = Object.fromEntries(
          Object.entries(schema.properties).map(([key, property]) => [
            key,
            this.valid(property, key, depth + 1),
          ]),
        );
        return fc.record(model, { requiredKeys: schema.required ?? [] });
      }
      default:
        return fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
    }
  }

  boundary(schema: JsonSchema): fc.Arbitrary<unknown> {
    const values: unknown[] = [];
    const type = typeOf(schema);
    if (type === 'integer' || type === 'number') {
      for (const bound of [schema.minimum, schema.maximum]) {
        if (typeof bound === 'number') values.push(bound, bound - 1, bound + 1);
      }
      values.push(0, -1, 2_147_483_647, 2_147_483_648, Number.MAX_SAFE_INTEGER);
      if (type === 'integer') values.push(0.5);
    } else if (type === 'string') {
      const unit = this.patternSample(schema) ?? 'a';
      for (const length of [schema.minLength, schema.maxLength]) {
        if (typeof length === 'number') {
          values.push(
            longString(length, unit),
            longString(Math.max(0, length - 1), unit),
            longString(length + 1, unit),
          );
        }
      }
      values.push('', longString(10_000, unit));
      for (const value of schema.enum ?? []) {
        if (typeof value === 'string') values.push(value.toUpperCase(), ` ${value}`, `${value}\u0000`);
      }
      if (schema.format?.startsWith('date') || this.acceptsDay(schema)) values.push(...HOSTILE_DATES);
    } else if (type === 'array') {
      values.push(
        [],
        Array.from({ length: (schema.maxItems ?? 1_000) + 1 }, () => null),
      );
    } else if (type === 'object') {
      values.push({}, []);
    } else {
      values.push('', 0, null);
    }
    return fc.constantFrom(...values);
  }

  hostile(schema: JsonSchema, flavour: Exclude<Flavour, 'valid'>): fc.Arbitrary<unknown> {
    if (flavour === 'boundary') return this.boundary(schema);
    return fc.oneof(
      { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
      { arbitrary: fc.constantFrom(...HOSTILE_DATES), weight: 3 },
      { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 3 },
      { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 3 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
      { arbitrary: fc.constantFrom(...this.huge), weight: 1 },
      {
        arbitrary: fc.constantFrom(deeplyNestedArray(this.nesting), deeplyNestedObject(this.nesting)),
        weight: 1,
      },
    );
  }

  hostileBody(): fc.Arbitrary<RawText> {
    return fc.oneof(
      fc.constantFrom(...HOSTILE_BODIES),
      fc.constantFrom(deeplyNestedArray(this.nesting), deeplyNestedObject(this.nesting)),
      fc.constant(
        new RawText(JSON.stringify({ padding: this.huge[1] }), `{"padding":"a"×${this.huge[1].length}}`),
      ),
    );
  }

  private validString(schema: JsonSchema, name: string): fc.Arbitrary<string> {
    const byField = (this.options.knownValuesByField ?? [])
      .filter((hint) => hint.field.test(name))
      .flatMap((hint) => hint.values)
      .filter((value) => fitsString(schema, value));
    const known =
      byField.length > 0
        ? byField
        : (this.options.knownValues ?? []).filter((value) => fitsString(schema, value));
    const generated = this.generatedString(schema);
    if (known.length === 0) return generated;
    return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: generated, weight: 1 });
  }

  private generatedString(schema: JsonSchema): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 200));
    if (schema.format === 'date-time' || schema.format === 'date') {
      const dates = fc.date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2026-12-31T00:00:00Z'),
        noInvalidDate: true,
      });
      return dates.map((date) =>
        schema.format === 'date' ? date.toISOString().slice(0, 10) : date.toISOString(),
      );
    }
    if (schema.format === 'uuid') return fc.uuid({ version: 7 });
    if (schema.format === 'email') return fc.emailAddress();
    if (schema.pattern) {
      const pattern = compile(schema.pattern);
      if (pattern) {
        try {
          // No length filter: a pattern and lengths that rarely agree would make fast-check retry
          // forever; a string of the wrong length is still a useful (refused) request.
          return fc.stringMatching(pattern);
        } catch {
          // A pattern fast-check cannot generate from: plain strings, mostly refused (still useful).
        }
      }
    }
    return fc.string({ minLength, maxLength });
  }

  private patternSample(schema: JsonSchema): string | undefined {
    return (this.options.knownValues ?? []).find((value) => fitsString(schema, value))?.slice(0, 1);
  }

  private acceptsDay(schema: JsonSchema): boolean {
    const pattern = schema.pattern ? compile(schema.pattern) : undefined;
    return pattern?.test('2025-07-01') ?? false;
  }
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  if (schema.pattern || schema.format || schema.minLength !== undefined) return 'string';
  return undefined;
}

function lowerBound(schema: JsonSchema, fallback: number): number {
  if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum + 1;
  return schema.minimum ?? Math.min(fallback, schema.maximum ?? fallback);
}

function upperBound(schema: JsonSchema, fallback: number): number {
  if (typeof schema.exclusiveMaximum === 'number') return schema.exclusiveMaximum - 1;
  return schema.maximum ?? Math.max(fallback, schema.minimum ?? fallback);
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function fitsString(schema: JsonSchema, value: string): boolean {
  if (schema.pattern && !compile(schema.pattern)?.test(value)) return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.enum) return schema.enum.includes(value);
  if (!schema.pattern && (schema.format === 'date' || schema.format === 'date-time'))
    return !Number.isNaN(Date.parse(value));
  // Unconstrained (path parameters are documented as plain strings): domain values get further.
  return true;
}
