import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { deeplyNestedArray, RawText } from './hostile-values';
import { describeRequest, toHttpRequest, toJson } from './http-request';
import { fuzzOperations, type OpenApiDocument } from './openapi-operations';
import { type FuzzRequest, requestArbitrary } from './request-arbitraries';

const DOCUMENT: OpenApiDocument = {
  paths: {
    '/units/{code}/items': {
      post: {
        parameters: [
          { name: 'code', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateItemDto' } } },
        },
      },
    },
    '/reports': {
      get: {
        parameters: [
          {
            name: 'from',
            in: 'query',
            required: true,
            schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
          },
          { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'csv'] } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200 },
          },
        ],
      },
    },
  },
  components: {
    schemas: {
      CreateItemDto: {
        type: 'object',
        properties: {
          unitCode: { type: 'string', pattern: '^\\d{5}$' },
          title: { type: 'string', minLength: 1, maxLength: 20 },
          amount: { type: 'integer', minimum: 0, maximum: 1000 },
          channel: { type: 'string', enum: ['direct', 'online'] },
          attachments: { type: 'array', maxItems: 3, items: { $ref: '#/components/schemas/AttachmentDto' } },
        },
        required: ['unitCode', 'title', 'amount'],
      },
      AttachmentDto: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: 10 } },
        required: ['name'],
      },
    },
  },
};

const OPTIONS = {
  bodyLimitBytes: 4_096,
  callers: 3,
  knownValues: ['00070', '2025-07-01'],
  nestingLevels: 50,
};
const [CREATE, REPORTS] = [
  fuzzOperations(DOCUMENT).find((op) => op.id === 'POST /units/{code}/items')!,
  fuzzOperations(DOCUMENT).find((op) => op.id === 'GET /reports')!,
];

function sample(operation = CREATE, runs = 600, seed = 7): FuzzRequest[] {
  return fc.sample(requestArbitrary(operation, OPTIONS), { seed, numRuns: runs });
}

describe('OpenAPI operations', () => {
  it('lists each operation with its path and query parameters and its body, references resolved', () => {
    expect(CREATE.pathParameters.map((p) => p.name)).toEqual(['code']);
    expect(CREATE.queryParameters).toEqual([
      { name: 'dryRun', required: false, schema: { type: 'boolean' } },
    ]);
    expect(CREATE.body?.required).toBe(true);
    expect(CREATE.body?.schema.properties?.attachments.items?.properties?.name).toEqual({
      type: 'string',
      maxLength: 10,
    });
    expect(REPORTS.queryParameters.find((p) => p.name === 'from')?.required).toBe(true);
  });
});

describe('request arbitraries', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validBody = ajv.compile(CREATE.body!.schema);

  it('generates valid requests that satisfy the schema, preferring known domain values', () => {
    const valid = sample().filter((request) => request.flavour === 'valid');
    expect(valid.length).toBeGreaterThan(100);
    for (const request of valid) {
      expect(request.mutations).toEqual([]);
      expect(validBody(request.body)).toBe(true);
    }
    expect(valid.some((request) => (request.body as { unitCode: string }).unitCode === '00070')).toBe(true);
    const reports = sample(REPORTS).filter((request) => request.flavour === 'valid');
    for (const request of reports) {
      expect(request.query.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (request.query.limit !== undefined) expect(request.query.limit).toBeGreaterThanOrEqual(1);
    }
  });

  it('mutates valid requests with boundary values one step past each constraint', () => {
    const values = sample(CREATE, 3_000)
      .filter((request) => request.flavour === 'boundary')
      .flatMap((request) => request.mutations)
      .map((mutation) => ('value' in mutation ? mutation.value : undefined));
    expect([-1, 1001, ''].filter((edge) => !values.includes(edge))).toEqual([]);
    const lengths = new Set(values.filter((v): v is string => typeof v === 'string').map((v) => v.length));
    expect([0, 20, 21].every((length) => lengths.has(length))).toBe(true);
  });

  it('reaches every kind of hostile input', () => {
    const mutations = sample(CREATE, 3_000).flatMap((request) => request.mutations);
    const values = mutations.map((mutation) => ('value' in mutation ? mutation.value : undefined));
    const texts = values.filter((value): value is string => typeof value === 'string');
    const raws = [...values, ...mutations.map((m) => (m.kind === 'body' ? m.raw : undefined))]
      .filter((value): value is RawText => value instanceof RawText)
      .map((raw) => raw.text);
    const kinds = new Set(mutations.map((mutation) => mutation.kind));
    expect([...kinds].sort()).toEqual(
      ['body', 'content-type', 'drop-field', 'extra-field', 'extra-query', 'field', 'path', 'query'].sort(),
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        'a\u0000b',
        '\uD800',
        '\u202Eevil\u202C',
        "00070' OR 1=1--",
        '+010000-01-01',
        '2025-02-30',
      ]),
    );
    expect(texts.some((text) => text.length > OPTIONS.bodyLimitBytes)).toBe(true);
    expect(raws).toEqual(expect.arrayContaining(['-0', '1e308', deeplyNestedArray(50).text]));
    expect(values).toEqual(expect.arrayContaining([null, [], {}]));
  });

  it('is repeatable: the same seed gives the same requests', () => {
    expect(sample(CREATE, 50, 42)).toEqual(sample(CREATE, 50, 42));
    expect(sample(CREATE, 50, 42)).not.toEqual(sample(CREATE, 50, 43));
  });
});

describe('HTTP requests', () => {
  const base: FuzzRequest = {
    operation: CREATE.id,
    flavour: 'hostile',
    caller: 0,
    pathParameters: { code: '00070' },
    query: { dryRun: true },
    body: { unitCode: '00070', title: 'x', amount: 1, attachments: [{ name: 'a' }] },
    mutations: [],
  };

  it('writes a valid request as JSON with an encoded URL', () => {
    const http = toHttpRequest(CREATE.pathTemplate, CREATE.method, base);
    expect(http).toEqual({
      method: 'POST',
      url: '/units/00070/items?dryRun=true',
      headers: { 'content-type': 'application/json' },
      body: '{"unitCode":"00070","title":"x","amount":1,"attachments":[{"name":"a"}]}',
    });
  });

  it('applies mutations: raw numbers, dropped and nested fields, own __proto__ keys, raw URL pieces', () => {
    const http = toHttpRequest(CREATE.pathTemplate, CREATE.method, {
      ...base,
      mutations: [
        { kind: 'path', name: 'code', value: '\uD800/\u0000' },
        { kind: 'query', name: 'dryRun', value: new RawText('%FF') },
        { kind: 'extra-query', name: 'unit[]', value: ['a', 'b'] },
        { kind: 'field', path: ['amount'], value: new RawText('-0') },
        { kind: 'field', path: ['attachments', 0, 'name'], value: new RawText('1e400') },
        { kind: 'drop-field', path: ['title'] },
        { kind: 'extra-field', name: '__proto__', value: { polluted: true } },
      ],
    });
    expect(http.url).toBe('/units/%EF%BF%BD%2F%00/items?dryRun=%FF&unit%5B%5D=a&unit%5B%5D=b');
    expect(http.body).toBe(
      '{"unitCode":"00070","amount":-0,"attachments":[{"name":1e400}],"__proto__":{"polluted":true}}',
    );
    expect(base.body).toEqual({ unitCode: '00070', title: 'x', amount: 1, attachments: [{ name: 'a' }] });
  });

  it('sends a raw body and another content type as given', () => {
    const http = toHttpRequest(CREATE.pathTemplate, CREATE.method, {
      ...base,
      mutations: [
        { kind: 'body', raw: deeplyNestedArray(3) },
        { kind: 'content-type', value: 'text/plain' },
      ],
    });
    expect(http.body).toBe('[[[]]]');
    expect(http.headers['content-type']).toBe('text/plain');
  });

  it('describes a request briefly, eliding long values', () => {
    const text = describeRequest(
      { method: 'POST', url: '/x', headers: {}, body: toJson({ title: 'a'.repeat(5_000) }) },
      'officer 00070',
    );
    expect(text.length).toBeLessThan(600);
    expect(text).toContain('(5012 chars)');
  });
});
