import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type EventCatalogueDocuments, eventCatalogueDocuments } from '@backbone/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';
import { catalogueIndexPage } from './catalogue-page';

/**
 * The event catalogue every service serves (docs/adr/0013): under `/events/`, without
 * authentication (contracts, no data), each type's JSON Schema, the envelope schema, the AsyncAPI
 * document and a page that renders it. `EVENT_SCHEMA_BASE_URL` names the deployment's public
 * address of one of them; `dataschema` is that base + `schemas/<type>.json`.
 */
export const EVENT_CATALOGUE_PATH = '/events/';

export const SCHEMA_CONTENT_TYPE = 'application/schema+json';
export const ASYNCAPI_JSON_CONTENT_TYPE = 'application/vnd.aai.asyncapi+json;version=3.0.0';
export const ASYNCAPI_YAML_CONTENT_TYPE = 'application/vnd.aai.asyncapi+yaml;version=3.0.0';

/** A versioned type's schema: its URL never changes and any copy validates every event of the version. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Unversioned documents (envelope schema, AsyncAPI, page): cached, revalidated by ETag on every use. */
export const REVALIDATE = 'public, no-cache';

const VERSIONED_SCHEMA = /^[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*\.json$/;

interface Resource {
  body: Buffer;
  contentType: string;
  cacheControl: string;
  etag: string;
  /** Readable from any origin (schemas and AsyncAPI are public contracts). */
  crossOrigin: boolean;
  /** The page's own CSP (the renderer compiles schemas in the browser). */
  contentSecurityPolicy?: string;
}

function resource(
  body: string | Buffer,
  contentType: string,
  cacheControl: string,
  options: { crossOrigin?: boolean; contentSecurityPolicy?: string } = {},
): Resource {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    body: bytes,
    contentType,
    cacheControl,
    etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`,
    crossOrigin: options.crossOrigin ?? false,
    ...(options.contentSecurityPolicy ? { contentSecurityPolicy: options.contentSecurityPolicy } : {}),
  };
}

/** The AsyncAPI renderer (@asyncapi/react-component's standalone bundle and styles), served by path + version. */
function rendererAssets(): { version: string; script: Buffer; styles: Buffer } {
  const packageJson = require.resolve('@asyncapi/react-component/package.json');
  const root = dirname(packageJson);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return {
    version,
    script: readFileSync(join(root, 'browser', 'standalone', 'index.js')),
    styles: readFileSync(join(root, 'styles', 'default.min.css')),
  };
}

/**
 * The page renders the AsyncAPI document in the browser; the renderer's parser compiles JSON
 * Schemas into functions (ajv), so this one page allows 'unsafe-eval' for its own scripts. Nothing
 * else leaves 'self'.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
  "frame-ancestors 'self'; form-action 'none'";

/** Every document of the catalogue, computed once at start-up: path under /events/ → resource. */
export function catalogueResources(documents: EventCatalogueDocuments): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  for (const [file, schema] of documents.schemas) {
    resources.set(
      `schemas/${file}`,
      resource(
        `${JSON.stringify(schema, null, 2)}\n`,
        SCHEMA_CONTENT_TYPE,
        VERSIONED_SCHEMA.test(file) ? IMMUTABLE : REVALIDATE,
        {
          crossOrigin: true,
        },
      ),
    );
  }
  resources.set(
    'asyncapi.json',
    resource(`${JSON.stringify(documents.asyncapi, null, 2)}\n`, ASYNCAPI_JSON_CONTENT_TYPE, REVALIDATE, {
      crossOrigin: true,
    }),
  );
  resources.set(
    'asyncapi.yaml',
    resource(
      stringify(documents.asyncapi, { lineWidth: 0, aliasDuplicateObjects: false }),
      ASYNCAPI_YAML_CONTENT_TYPE,
      REVALIDATE,
      {
        crossOrigin: true,
      },
    ),
  );
  // For the page: the renderer takes a parsed document as is (no parse, no validation in the browser).
  resources.set(
    'asyncapi.parsed.json',
    resource(documents.parsedAsyncapi, 'application/json; charset=utf-8', REVALIDATE),
  );
  const renderer = rendererAssets();
  const script = `assets/asyncapi-react-${renderer.version}.js`;
  const styles = `assets/asyncapi-react-${renderer.version}.css`;
  // Versioned file names: a new renderer version is a new URL.
  resources.set(script, resource(renderer.script, 'text/javascript; charset=utf-8', IMMUTABLE));
  resources.set(styles, resource(renderer.styles, 'text/css; charset=utf-8', IMMUTABLE));
  resources.set(
    '',
    resource(catalogueIndexPage(documents, { script, styles }), 'text/html; charset=utf-8', REVALIDATE, {
      contentSecurityPolicy: PAGE_CSP,
    }),
  );
  return resources;
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
}

function send(request: FastifyRequest, reply: FastifyReply, found: Resource): FastifyReply {
  reply.header('cache-control', found.cacheControl).header('etag', found.etag);
  if (found.crossOrigin)
    reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
  if (found.contentSecurityPolicy) reply.header('content-security-policy', found.contentSecurityPolicy);
  if (matchesEtag(request.headers['if-none-match'], found.etag)) return reply.code(304).send();
  return reply.code(200).type(found.contentType).send(found.body);
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  return reply
    .code(404)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `${EVENT_CATALOGUE_PATH}${path} is not in the event catalogue (see ${EVENT_CATALOGUE_PATH})`,
    });
}

/**
 * Serves the catalogue for the deployment's base URL under /events/ on this service's HTTP server.
 * Everything is built once here; a request is a map lookup.
 */
export function installEventCatalogue(fastify: FastifyInstance, baseUrl: string): EventCatalogueDocuments {
  const documents = eventCatalogueDocuments(baseUrl);
  const resources = catalogueResources(documents);
  fastify.get('/events', (_request, reply) => reply.redirect(EVENT_CATALOGUE_PATH, 301));
  fastify.get<{ Params: { '*': string } }>(`${EVENT_CATALOGUE_PATH}*`, (request, reply) => {
    const path = request.params['*'] === 'index.html' ? '' : request.params['*'];
    const found = resources.get(path);
    return found ? send(request, reply, found) : notFound(reply, path);
  });
  return documents;
}
