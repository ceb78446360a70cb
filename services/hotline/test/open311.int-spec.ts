import { XMLParser } from 'fast-xml-parser';
import {
  ATTRIBUTE_FIELDS,
  ERROR_FIELDS,
  POST_RESPONSE_FIELDS,
  REQUEST_FIELDS,
  SERVICE_FIELDS,
  TOKEN_FIELDS,
} from '../src/open311/georeport-format';
import { client, type HotlineTestApp, OPEN311_WEB_KEY, startHotline, WARD_HOAN_KIEM } from './support';

/**
 * The field lists of the GeoReport v2 specification (open311.org, GeoReport v2, "API methods":
 * the Response tables of GET Service List, GET Service Definition, POST Service Request, GET
 * Service Requests, GET request_id from a token, and the error format), written out here from the
 * spec rather than imported, so that the service's own lists are checked against them.
 */
const SPEC = {
  service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  serviceDefinition: ['service_code', 'attributes'],
  attribute: [
    'variable',
    'code',
    'datatype',
    'required',
    'datatype_description',
    'order',
    'description',
    'values',
  ],
  value: ['key', 'name'],
  postResponse: ['service_request_id', 'token', 'service_notice', 'account_id'],
  request: [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ],
  token: ['service_request_id', 'token'],
  error: ['code', 'description'],
  datatypes: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'],
  types: ['realtime', 'batch', 'blackbox'],
};
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every key is one the spec lists for that element; the required ones are all there. */
function expectFields(
  object: Record<string, unknown>,
  allowed: readonly string[],
  required: readonly string[],
) {
  for (const key of Object.keys(object)) expect([key, allowed.includes(key)]).toEqual([key, true]);
  for (const key of required) expect([key, key in object]).toEqual([key, true]);
}

const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ['service', 'request', 'error', 'attribute', 'value'].includes(name),
});

/**
 * How the `three` client (codeforamerica/three, PyPI `three` 0.8.0, three/core.py) sends its
 * requests, byte for byte where it matters: the resource with the format appended
 * (`requests.json`), `jurisdiction_id` added to every call, `count` sent as `page_size`, `start`/`end`
 * as `start_date`/`end_date` in `%Y-%m-%dT%H:%M:%SZ`, and a POST as a form body
 * (application/x-www-form-urlencoded, Python's quoting: spaces as '+') with `address` renamed
 * `address_string`, `name` split into `first_name`/`last_name` and `api_key` added.
 */
function threeForm(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value).replace(/%20/g, '+')}`)
    .join('&');
}

describe('Open311 GeoReport v2 (real PostgreSQL and Kafka)', () => {
  let h: HotlineTestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    h = await startHotline();
    api = client(h.t);
  });
  afterAll(async () => {
    await h?.t.close();
  });

  const get = (url: string) => h.t.app.inject({ method: 'GET', url });
  const post = (url: string, body: string) =>
    h.t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });

  it('our lists are the spec’s lists', () => {
    expect([...SERVICE_FIELDS]).toEqual(SPEC.service);
    expect([...ATTRIBUTE_FIELDS]).toEqual(SPEC.attribute);
    expect([...REQUEST_FIELDS]).toEqual(SPEC.request);
    expect([...POST_RESPONSE_FIELDS]).toEqual(SPEC.postResponse);
    expect([...TOKEN_FIELDS]).toEqual(SPEC.token);
    expect([...ERROR_FIELDS]).toEqual(SPEC.error);
  });

  it('GET services and a service definition, JSON and XML, field by field', async () => {
    const json = await get('/open311/v2/services.json?jurisdiction_id=hanoi');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = json.json() as Record<string, unknown>[];
    expect(services.length).toBeGreaterThanOrEqual(8);
    for (const service of services) {
      expectFields(service, SPEC.service, SPEC.service);
      expect(SPEC.types).toContain(service.type);
      expect(typeof service.metadata).toBe('boolean');
    }
    const asXml = await get('/open311/v2/services.xml?jurisdiction_id=hanoi');
    expect(asXml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(asXml.body.startsWith('<?xml version="1.0" encoding="utf-8"?><services>')).toBe(true);
    const parsed = xml.parse(asXml.body) as { services: { service: Record<string, unknown>[] } };
    expect(parsed.services.service).toHaveLength(services.length);
    for (const service of parsed.services.service) expectFields(service, SPEC.service, SPEC.service);

    const definition = (
      await get('/open311/v2/services/environment.waste.json?jurisdiction_id=hanoi')
    ).json() as {
      service_code: string;
      attributes: Record<string, unknown>[];
    };
    expectFields(definition, SPEC.serviceDefinition, SPEC.serviceDefinition);
    expect(definition.service_code).toBe('environment.waste');
    for (const attribute of definition.attributes) {
      expectFields(attribute, SPEC.attribute, SPEC.attribute);
      expect(SPEC.datatypes).toContain(attribute.datatype);
      for (const value of attribute.values as Record<string, unknown>[])
        expectFields(value, SPEC.value, SPEC.value);
    }
    expect((definition.attributes[0]!.values as unknown[]).length).toBe(126);
    const definitionXml = xml.parse((await get('/open311/v2/services/environment.waste.xml')).body) as {
      service_definition: { service_code: string; attributes: { attribute: Record<string, unknown>[] } };
    };
    expect(definitionXml.service_definition.service_code).toBe('environment.waste');
    for (const attribute of definitionXml.service_definition.attributes.attribute) {
      expectFields(attribute, SPEC.attribute, SPEC.attribute);
      for (const value of (attribute.values as { value: Record<string, unknown>[] }).value)
        expectFields(value, SPEC.value, SPEC.value);
    }
  });

  it('accepts the three client’s POST, then serves the request, its token and the list, without personal data', async () => {
    const form = threeForm({
      service_code: 'environment.waste',
      address_string: 'Số 12 Hàng Gai, P. Hàng Gai, Hà Nội',
      first_name: 'Nguyen',
      last_name: 'Binh',
      phone: '0977 123 456',
      email: 'binh@example.vn',
      description: 'Rác chất đống ở đầu ngõ, gọi 0977123456',
      jurisdiction_id: 'hanoi',
      api_key: OPEN311_WEB_KEY,
    });
    const created = await post('/open311/v2/requests.json', form);
    expect(created.statusCode).toBe(201);
    const [answer] = created.json() as Record<string, unknown>[];
    expectFields(answer!, SPEC.postResponse, ['service_request_id']);
    const id = answer!.service_request_id as string;

    const createdXml = await post(
      '/open311/v2/requests.xml',
      threeForm({
        service_code: 'traffic.road-damage',
        lat: '21.0341',
        long: '105.8516',
        'attribute[unit_code]': WARD_HOAN_KIEM,
        'attribute[level]': 'urgent',
        description: 'Ổ gà',
        jurisdiction_id: 'hanoi',
        api_key: OPEN311_WEB_KEY,
      }),
    );
    expect(createdXml.statusCode).toBe(201);
    const postXml = xml.parse(createdXml.body) as {
      service_requests: { request: Record<string, unknown>[] };
    };
    expectFields(postXml.service_requests.request[0]!, SPEC.postResponse, ['service_request_id']);

    // three: Three(endpoint, jurisdiction='hanoi').request(id) → GET requests/<id>.json?jurisdiction_id=hanoi
    const one = await get(`/open311/v2/requests/${id}.json?jurisdiction_id=hanoi`);
    expect(one.statusCode).toBe(200);
    const [request] = one.json() as Record<string, unknown>[];
    expectFields(request!, SPEC.request, [
      'service_request_id',
      'status',
      'service_code',
      'requested_datetime',
    ]);
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'environment.waste',
      agency_responsible: 'UBND Phường Hoàn Kiếm',
      address: 'Số 12 Hàng Gai, P. Hàng Gai, Hà Nội',
    });
    for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime'])
      expect([field, ISO_WITH_ZONE.test(String(request![field]))]).toEqual([field, true]);
    for (const secret of ['Nguyen', 'Binh', '0977', '977123456', 'binh@example.vn', 'Rác chất đống'])
      expect([secret, one.body.includes(secret)]).toEqual([secret, false]);

    const oneXml = xml.parse((await get(`/open311/v2/requests/${id}.xml?jurisdiction_id=hanoi`)).body) as {
      service_requests: { request: Record<string, unknown>[] };
    };
    expectFields(oneXml.service_requests.request[0]!, SPEC.request, ['service_request_id', 'status']);

    const token = answer!.token as string;
    const byToken = await get(`/open311/v2/tokens/${token}.json?jurisdiction_id=hanoi`);
    const [tokenAnswer] = byToken.json() as Record<string, unknown>[];
    expectFields(tokenAnswer!, SPEC.token, SPEC.token);
    expect(tokenAnswer).toEqual({ service_request_id: id, token });
    const tokenXml = xml.parse((await get(`/open311/v2/tokens/${token}.xml`)).body) as {
      service_requests: { request: Record<string, unknown>[] };
    };
    expectFields(tokenXml.service_requests.request[0]!, SPEC.token, SPEC.token);

    // three: requests(code, count=1, start='07-01-2025', end=...) → page_size, start_date, end_date.
    const start = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const end = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const page1 = (
      await get(
        `/open311/v2/requests.json?service_code=environment.waste,traffic.road-damage&jurisdiction_id=hanoi&page_size=1&start_date=${start}&end_date=${end}`,
      )
    ).json() as Record<string, unknown>[];
    const page2 = (
      await get(
        `/open311/v2/requests.json?service_code=environment.waste,traffic.road-damage&jurisdiction_id=hanoi&page_size=1&page=2&start_date=${start}&end_date=${end}`,
      )
    ).json() as Record<string, unknown>[];
    expect(page1).toHaveLength(1);
    expect(page2).toHaveLength(1);
    expect(page1[0]!.service_request_id).not.toBe(page2[0]!.service_request_id);
    for (const item of [...page1, ...page2])
      expectFields(item, SPEC.request, ['service_request_id', 'status']);
    const closed = (
      await get(`/open311/v2/requests.json?status=closed&service_request_id=${id}`)
    ).json() as unknown[];
    expect(closed).toEqual([]);
    const listXml = xml.parse((await get(`/open311/v2/requests.xml?service_request_id=${id}`)).body) as {
      service_requests: { request: Record<string, unknown>[] };
    };
    expect(listXml.service_requests.request).toHaveLength(1);
  });

  it('accepts the form fields in the query string too (clients such as node-open311 send them there)', async () => {
    const query = threeForm({
      service_code: 'environment.noise',
      address_string: 'Ngõ 3, P. Tây Hồ',
      description: 'Karaoke',
      jurisdiction_id: 'hanoi',
      api_key: OPEN311_WEB_KEY,
    });
    const created = await post(`/open311/v2/requests.json?${query}`, '');
    expect(created.statusCode).toBe(201);
  });

  it('answers errors in the spec’s format, JSON and XML', async () => {
    const noKey = await post(
      '/open311/v2/requests.json',
      threeForm({ service_code: 'environment.waste', address_string: 'P. Tây Hồ' }),
    );
    expect(noKey.statusCode).toBe(403);
    const [error] = noKey.json() as Record<string, unknown>[];
    expectFields(error!, SPEC.error, SPEC.error);
    expect(error!.code).toBe(403);

    const outside = await post(
      '/open311/v2/requests.xml',
      threeForm({
        service_code: 'environment.waste',
        address_string: 'Phường Bến Thành, TP. Hồ Chí Minh',
        api_key: OPEN311_WEB_KEY,
      }),
    );
    expect(outside.statusCode).toBe(400);
    const errors = xml.parse(outside.body) as { errors: { error: Record<string, unknown>[] } };
    expectFields(errors.errors.error[0]!, SPEC.error, SPEC.error);
    expect(String(errors.errors.error[0]!.description)).toContain('not in Hanoi');

    const wrongJurisdiction = await get('/open311/v2/services.json?jurisdiction_id=sfgov.org');
    expect(wrongJurisdiction.statusCode).toBe(404);
    expect(wrongJurisdiction.json()).toEqual([{ code: 404, description: expect.stringContaining('hanoi') }]);
    expect((await get('/open311/v2/services/no.such.service.json')).statusCode).toBe(404);
    expect((await get('/open311/v2/requests/not-an-id.xml')).statusCode).toBe(404);
    expect((await get('/open311/v2/requests.json?start_date=10000-01-01T00:00:00Z')).statusCode).toBe(400);
    expect((await get('/open311/v2/requests.json?page_size=100000')).statusCode).toBe(400);
    expect((await get('/open311/v2/requests.json?status=pending')).statusCode).toBe(400);
    expect(api).toBeDefined();
  });
});
