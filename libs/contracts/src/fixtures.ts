import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CloudEvent, dataschemaFor, eventSchemaBaseUrl, schemaPathFor } from './envelope/cloud-event';
import { type EventClass, eventTypeOf } from './envelope/event-type';

/**
 * `libs/contracts/fixtures/`: one complete sample CloudEvent per event type, shared by
 * producer and consumer tests in every package. Resolved from this file so that it works from
 * `src/` (ts) and `dist/` (js) alike.
 */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/**
 * The sample event of one type (by type name or event class). Each call returns a fresh copy,
 * so tests may change it freely.
 *
 * A fixture file keeps `dataschema` relative to the catalogue base (`schemas/<type>.json`), as
 * the schemas' `$id` do, so that it holds for every deployment; the event returned carries it as
 * the wire does: the absolute URL under `schemaBaseUrl` (default: this process's base, what
 * buildEvent writes).
 */
export function loadFixture<T extends object = Record<string, unknown>>(
  typeOrClass: string | EventClass<T>,
  schemaBaseUrl: string = eventSchemaBaseUrl(),
): CloudEvent<T> {
  const type = typeof typeOrClass === 'string' ? typeOrClass : eventTypeOf(typeOrClass).type;
  let text: string;
  try {
    text = readFileSync(join(FIXTURES_DIR, `${type}.json`), 'utf8');
  } catch {
    throw new Error(`No fixture for event type "${type}" in ${FIXTURES_DIR}`);
  }
  const event = JSON.parse(text) as CloudEvent<T>;
  if (event.dataschema === schemaPathFor(type)) event.dataschema = dataschemaFor(type, schemaBaseUrl);
  return event;
}

/** Every sample event, sorted by type (`dataschema` under `schemaBaseUrl`, as loadFixture). */
export function allFixtures(schemaBaseUrl: string = eventSchemaBaseUrl()): CloudEvent[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => loadFixture(file.slice(0, -'.json'.length), schemaBaseUrl));
}
