import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudEvent } from './envelope/cloud-event';
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
 */
export function loadFixture<T extends object = Record<string, unknown>>(
  typeOrClass: string | EventClass<T>,
): CloudEvent<T> {
  const type = typeof typeOrClass === 'string' ? typeOrClass : eventTypeOf(typeOrClass).type;
  let text: string;
  try {
    text = readFileSync(join(FIXTURES_DIR, `${type}.json`), 'utf8');
  } catch {
    throw new Error(`No fixture for event type "${type}" in ${FIXTURES_DIR}`);
  }
  return JSON.parse(text) as CloudEvent<T>;
}

/** Every sample event, sorted by type. */
export function allFixtures(): CloudEvent[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => loadFixture(file.slice(0, -'.json'.length)));
}
