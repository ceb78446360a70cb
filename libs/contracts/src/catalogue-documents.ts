import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CloudEvent,
  dataschemaFor,
  DEVELOPMENT_EVENT_SCHEMA_BASE_URL,
  normaliseSchemaBaseUrl,
  schemaPathFor,
} from './envelope/cloud-event';
import { type EventTypeMetadata, registeredEventTypes } from './envelope/event-type';
import { allFixtures, FIXTURES_DIR } from './fixtures';
import { asyncApiDocument } from './generate/asyncapi';
import type { EventSchema, JsonSchema } from './generate/json-schema';
// Importing the catalogue registers every event class.
import './catalogue';

/** libs/contracts/schemas, from src/ (ts) and dist/ (js) alike. */
export const SCHEMA_FILES_DIR = join(__dirname, '..', 'schemas');
/**
 * The AsyncAPI document (development base) as @asyncapi/parser parsed it, stringified with its
 * `stringify`: written by `npm run contracts:generate`, so that the page's renderer needs no parse.
 */
export const PARSED_ASYNCAPI_PATH = join(__dirname, '..', 'catalogue', 'asyncapi.parsed.json');
const ENVELOPE_FILE = 'cloudevent.json';

/** One event type as the catalogue lists it. */
export interface CatalogueEntry extends EventTypeMetadata {
  className: string;
  /** The `dataschema` of the type under the catalogue's base URL. */
  schemaUrl: string;
}

/** What a service serves under its deployment's catalogue base URL (docs/adr/0013). */
export interface EventCatalogueDocuments {
  /** The normalised base URL, ending in `/`. */
  baseUrl: string;
  /** File name under `schemas/` (`<type>.json`, `cloudevent.json`) → the schema, `$id` absolute. */
  schemas: ReadonlyMap<string, JsonSchema>;
  /** The AsyncAPI 3.0 document, every `dataschema` under the base URL. */
  asyncapi: Record<string, unknown>;
  /** The same document parsed by @asyncapi/parser and stringified (its `stringify`), under the base URL. */
  parsedAsyncapi: string;
  entries: readonly CatalogueEntry[];
}

/**
 * The event catalogue as served for one deployment, built from the checked-in schema files (the
 * generator's output; no TypeScript sources needed at run time) and the registered event classes.
 * The drift test proves the AsyncAPI document made here for the development base equals
 * docs/asyncapi.yaml.
 */
export function eventCatalogueDocuments(baseUrl: string): EventCatalogueDocuments {
  const base = normaliseSchemaBaseUrl(baseUrl);
  const readSchema = (file: string): JsonSchema =>
    JSON.parse(readFileSync(join(SCHEMA_FILES_DIR, file), 'utf8')) as JsonSchema;
  const envelope = readSchema(ENVELOPE_FILE);
  const events: EventSchema[] = registeredEventTypes().map(({ metadata, eventClass }) => ({
    metadata,
    className: eventClass.name,
    schema: readSchema(`${metadata.type}.json`),
  }));
  const fixtures = new Map<string, CloudEvent>(allFixtures(base).map((event) => [event.type, event]));
  const version = (
    JSON.parse(readFileSync(join(FIXTURES_DIR, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const asyncapi = asyncApiDocument({ version, envelope, events, fixtures, schemaBaseUrl: base });

  // A served schema names itself by its absolute URL; the checked-in $id is relative to the base.
  const schemas = new Map<string, JsonSchema>();
  schemas.set(ENVELOPE_FILE, { ...envelope, $id: `${base}${schemaPathFor('cloudevent')}` });
  for (const event of events)
    schemas.set(`${event.metadata.type}.json`, {
      ...event.schema,
      $id: dataschemaFor(event.metadata.type, base),
    });

  // The generated parsed document names the development base; a URL holds no JSON escapes.
  const parsedAsyncapi = readFileSync(PARSED_ASYNCAPI_PATH, 'utf8').replaceAll(
    DEVELOPMENT_EVENT_SCHEMA_BASE_URL,
    base,
  );

  return {
    baseUrl: base,
    schemas,
    asyncapi,
    parsedAsyncapi,
    entries: events.map((event) => ({
      ...event.metadata,
      className: event.className,
      schemaUrl: dataschemaFor(event.metadata.type, base),
    })),
  };
}
