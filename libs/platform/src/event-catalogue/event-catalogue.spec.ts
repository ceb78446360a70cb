import { DEVELOPMENT_EVENT_SCHEMA_BASE_URL, registeredEventTypes } from '@backbone/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import {
  ASYNCAPI_JSON_CONTENT_TYPE,
  ASYNCAPI_YAML_CONTENT_TYPE,
  IMMUTABLE,
  installEventCatalogue,
  matchesEtag,
  REVALIDATE,
  SCHEMA_CONTENT_TYPE,
} from './event-catalogue';

const BASE = 'https://backbone.hanoi.gov.vn/events/';

describe('the event catalogue every service serves at /events/ (docs/adr/0013)', () => {
  let fastify: FastifyInstance;
  beforeAll(async () => {
    fastify = Fastify({ logger: false });
    installEventCatalogue(fastify, BASE);
    await fastify.ready();
  });
  afterAll(async () => {
    await fastify.close();
  });
  const get = (url: string, headers: Record<string, string> = {}) =>
    fastify.inject({ method: 'GET', url, headers });

  it.each(registeredEventTypes().map(({ metadata }) => [metadata.type]))(
    'serves %s: application/schema+json, immutable, ETag, $id = its own absolute URL',
    async (type) => {
      const response = await get(`/events/schemas/${type}.json`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(SCHEMA_CONTENT_TYPE);
      expect(response.headers['cache-control']).toBe(IMMUTABLE);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      const schema = response.json<{ $id: string; $schema: string }>();
      expect(schema.$id).toBe(`${BASE}schemas/${type}.json`);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    },
  );

  it('serves the envelope schema, revalidated by ETag (it is not versioned by URL)', async () => {
    const response = await get('/events/schemas/cloudevent.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(SCHEMA_CONTENT_TYPE);
    expect(response.headers['cache-control']).toBe(REVALIDATE);
    const schema = response.json<{ $id: string; properties: Record<string, { pattern?: string }> }>();
    expect(schema.$id).toBe(`${BASE}schemas/cloudevent.json`);
    expect(
      new RegExp(schema.properties.dataschema!.pattern!).test(`${BASE}schemas/dossier.received.v1.json`),
    ).toBe(true);
  });

  it('answers If-None-Match with 304 and no body, and a changed tag with 200', async () => {
    const first = await get('/events/schemas/dossier.received.v1.json');
    const etag = String(first.headers.etag);
    const again = await get('/events/schemas/dossier.received.v1.json', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe(IMMUTABLE);
    expect(
      (await get('/events/schemas/dossier.received.v1.json', { 'if-none-match': '"other"' })).statusCode,
    ).toBe(200);
    expect(matchesEtag(`W/${etag}, "x"`, etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag(undefined, etag)).toBe(false);
  });

  it('serves the AsyncAPI document as JSON and YAML, every dataschema under the deployment base', async () => {
    const json = await get('/events/asyncapi.json');
    expect(json.headers['content-type']).toBe(ASYNCAPI_JSON_CONTENT_TYPE);
    const yaml = await get('/events/asyncapi.yaml');
    expect(yaml.headers['content-type']).toBe(ASYNCAPI_YAML_CONTENT_TYPE);
    expect(parse(yaml.body)).toEqual(json.json());
    const document = json.json<{
      components: {
        messages: Record<
          string,
          {
            name: string;
            payload: { allOf: { properties?: { dataschema?: { const: string } } }[] };
            description: string;
            examples: { payload: { dataschema: string } }[];
          }
        >;
      };
    }>();
    for (const message of Object.values(document.components.messages)) {
      const url = `${BASE}schemas/${message.name}.json`;
      expect(message.payload.allOf[1]!.properties!.dataschema!.const).toBe(url);
      expect(message.examples[0]!.payload.dataschema).toBe(url);
      for (const part of [
        '**Producer:**',
        '**Topic:**',
        '**Key:**',
        '**Ordering:**',
        '**Schema:**',
        '**Version history:**',
      ])
        expect(message.description).toContain(part);
    }
    expect(body(document)).not.toContain(DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
  });

  it('serves the page (its own CSP) and the renderer under versioned, immutable names', async () => {
    expect((await get('/events')).headers.location).toBe('/events/');
    const page = await get('/events/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(
      "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    );
    const script = /src="(assets\/asyncapi-react-[0-9.]+\.js)"/.exec(page.body)?.[1];
    const styles = /href="(assets\/asyncapi-react-[0-9.]+\.css)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const bundle = await get(`/events/${script!}`);
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['cache-control']).toBe(IMMUTABLE);
    expect(bundle.body).toContain('AsyncApiStandalone');
    expect((await get(`/events/${styles!}`)).headers['content-type']).toBe('text/css; charset=utf-8');
    for (const { metadata } of registeredEventTypes())
      expect(page.body).toContain(`<code>${metadata.type}</code>`);
  });

  it('answers an unknown path with 404 problem+json, and never serves files outside the catalogue', async () => {
    const unknown = await get('/events/schemas/dossier.teleported.v1.json');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const url of [
      '/events/../package.json',
      '/events/schemas/../../package.json',
      '/events/%2e%2e/package.json',
      '/events/schemas/%2e%2e%2fcloudevent.json',
    ]) {
      const response = await get(url);
      expect([400, 404]).toContain(response.statusCode);
      expect(response.body).not.toContain('"workspaces"');
    }
  });
});

function body(value: unknown): string {
  return JSON.stringify(value);
}
