import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { unstringify } from '@asyncapi/parser';
import { eventCatalogueDocuments, PARSED_ASYNCAPI_PATH } from '../catalogue-documents';
import { DEVELOPMENT_EVENT_SCHEMA_BASE_URL } from '../envelope/cloud-event';
import { BASELINE_PATH, generateContracts, REPO_ROOT, SCHEMAS_DIR } from './contract-files';

/*
 * The checked-in schemas, AsyncAPI document and compatibility baseline must be exactly what the
 * generator makes from the event classes now. Compared as parsed values, so that formatting
 * (Prettier on the baseline) is not drift. Fix: `npm run contracts:generate`.
 */
const generated = generateContracts();
const readValue = (path: string): unknown => {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.yaml') ? parse(text) : JSON.parse(text);
};

describe('generated contract files are up to date (npm run contracts:generate)', () => {
  it.each(generated.files.map((file) => [relative(REPO_ROOT, file.path), file] as const))(
    '%s',
    (_name, file) => {
      expect(existsSync(file.path)).toBe(true);
      expect(readValue(file.path)).toEqual(file.value);
    },
  );

  it('schemas/ holds no schema without an event class', () => {
    const expected = generated.files
      .filter((file) => file.path.startsWith(SCHEMAS_DIR))
      .map((file) => file.path);
    const present = readdirSync(SCHEMAS_DIR).map((name) => join(SCHEMAS_DIR, name));
    expect(present.sort()).toEqual(expected.sort());
  });

  it('compat/baseline.json records the current catalogue (additive changes are absorbed by regenerating)', () => {
    expect(readValue(BASELINE_PATH)).toEqual(generated.snapshot);
  });

  it('the README catalogue table lists every event type', () => {
    const rows = readFileSync(join(REPO_ROOT, 'libs', 'contracts', 'README.md'), 'utf8').split('\n');
    const missing = generated.events
      .map((event) => event.metadata.type)
      .filter((type) => !rows.some((row) => row.startsWith(`| \`${type}\` `)));
    expect(missing).toEqual([]);
  });

  it('the catalogue a service serves (built from the schema files at run time) equals the generated one', () => {
    const served = eventCatalogueDocuments(DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
    const asyncapi = generated.files.find((file) => file.path.endsWith('asyncapi.yaml'))!;
    expect(served.asyncapi).toEqual(asyncapi.value);
    for (const file of generated.files.filter((f) => f.path.startsWith(SCHEMAS_DIR))) {
      const name = relative(SCHEMAS_DIR, file.path);
      const schema = file.value as Record<string, unknown>;
      expect(served.schemas.get(name)).toEqual({
        ...schema,
        $id: `${DEVELOPMENT_EVENT_SCHEMA_BASE_URL}${String(schema.$id)}`,
      });
    }
  });

  it('catalogue/asyncapi.parsed.json is the parsed form of the current AsyncAPI document', () => {
    const parsed = unstringify(readFileSync(PARSED_ASYNCAPI_PATH, 'utf8'));
    expect(parsed).toBeDefined();
    const asyncapi = generated.files.find((file) => file.path.endsWith('asyncapi.yaml'))!.value as {
      info: unknown;
      components: { messages: Record<string, { name: string; description: string; payload: unknown }> };
    };
    // The parser dereferences $refs, so compare what the page shows per message.
    expect(withoutParserExtensions((parsed!.json() as unknown as typeof asyncapi).info)).toEqual(
      asyncapi.info,
    );
    const fromParsed = parsed!
      .allMessages()
      .all()
      .map((message) => ({ name: message.name(), description: message.description() }))
      .filter(
        (message, index, all) => message.name && all.findIndex((m) => m.name === message.name) === index,
      );
    const fromDocument = Object.values(asyncapi.components.messages).map((message) => ({
      name: message.name,
      description: message.description,
    }));
    const byName = (a: { name?: string }, b: { name?: string }) => (a.name ?? '').localeCompare(b.name ?? '');
    expect(fromParsed.sort(byName)).toEqual(fromDocument.sort(byName));
  });

  it('the generated YAML text is what the generator writes, byte for byte', () => {
    const asyncapi = generated.files.find((file) => file.path.endsWith('asyncapi.yaml'))!;
    expect(readFileSync(asyncapi.path, 'utf8')).toBe(asyncapi.content);
  });
});

/** The parsed document without what the parser adds (`x-parser-*` keys). */
function withoutParserExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParserExtensions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !key.startsWith('x-parser-'))
      .map(([key, item]) => [key, withoutParserExtensions(item)]),
  );
}
