import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  allFixtures,
  loadFixture,
  parseEvent,
  registeredEventTypes,
  CITY_UNIT_CODE,
  DossierReceivedV1,
  dataschemaFor,
  DEVELOPMENT_EVENT_SCHEMA_BASE_URL,
  EventContractError,
} from './index';

const SCHEMAS_DIR = join(__dirname, '..', 'schemas');
const ajv = addFormats(new Ajv({ allErrors: true }));
const schemaFor = (name: string): ValidateFunction =>
  ajv.getSchema(`schemas/${name}.json`) ??
  ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, `${name}.json`), 'utf8')) as object);

// Hanoi's official unit codes: the repository's copy of the shared reference data (the dossier
// service seeds its units from it, unchanged), read as data, resolved from the repository root.
const REPO_ROOT = join(__dirname, '..', '..', '..');
const hanoiUnitCodes = new Set(
  (
    JSON.parse(
      readFileSync(
        join(REPO_ROOT, 'services', 'dossier', 'src', 'reference-data', 'hanoi-units-2025.json'),
        'utf8',
      ),
    ) as {
      units: { code: string }[];
    }
  ).units.map((unit) => unit.code),
);

const types = registeredEventTypes().map(({ metadata }) => metadata.type);

describe('fixtures', () => {
  it('there is exactly one fixture per registered event type', () => {
    expect(allFixtures().map((event) => event.type)).toEqual([...types].sort());
  });

  it('loadFixture accepts a type name or an event class, and returns a fresh copy each time', () => {
    const byName = loadFixture('dossier.received.v1');
    const byClass = loadFixture(DossierReceivedV1);
    expect(byClass).toEqual(byName);
    byClass.data.feeVnd = 1;
    expect(loadFixture(DossierReceivedV1).data.feeVnd).not.toBe(1);
    expect(() => loadFixture('dossier.teleported.v1')).toThrow(/No fixture/);
  });

  describe.each(types)('%s', (type) => {
    const fixture = loadFixture(type);

    it('parses with parseEvent', () => {
      expect(() => parseEvent(JSON.stringify(fixture))).not.toThrow();
      expect(parseEvent(JSON.stringify(fixture)).type).toBe(type);
    });

    it('validates against the envelope schema and its data schema', () => {
      const envelope = schemaFor('cloudevent');
      expect(envelope(fixture) ? [] : envelope.errors).toEqual([]);
      const data = schemaFor(type);
      expect(data(fixture.data) ? [] : data.errors).toEqual([]);
      expect(fixture.dataschema).toBe(dataschemaFor(type));
      expect(fixture.dataschema).toBe(`${DEVELOPMENT_EVENT_SCHEMA_BASE_URL}schemas/${type}.json`);
    });

    it('uses a Hanoi unit code and a UUIDv7 id', () => {
      // City-wide reference data (the official calendar) belongs to the city, not to a ward or commune;
      // so does a report escalated to the city (its envelope names the city unit).
      const cityWide = fixture.type.startsWith('calendar.') || fixture.type === 'report.escalated.v1';
      expect(cityWide ? fixture.unitcode === CITY_UNIT_CODE : hanoiUnitCodes.has(fixture.unitcode)).toBe(
        true,
      );
      expect(fixture.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('has the aggregate id as subject', () => {
      const ids = Object.entries(fixture.data as Record<string, unknown>)
        .filter(([field]) => /(Id|Serial)$/.test(field))
        .map(([, value]) => value);
      expect(ids).toContain(fixture.subject);
    });
  });
});

/*
 * The JSON Schemas are generated from the class-validator metadata; here both are run on the same
 * damaged samples to show they accept and reject the same things, field by field.
 */
describe('schemas agree with class-validator', () => {
  const validByClass = (type: string, data: unknown) => {
    try {
      parseEvent(JSON.stringify({ ...loadFixture(type), data }));
      return true;
    } catch (error) {
      if (error instanceof EventContractError && error.reason === 'invalid-data') return false;
      throw error;
    }
  };
  const validBySchema = (type: string, data: unknown) => schemaFor(type)(data);

  describe.each(types)('%s', (type) => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, `${type}.json`), 'utf8')) as {
      properties: Record<string, { type?: string }>;
      required?: string[];
    };

    it.each(Object.keys(schema.properties))('without %s: both agree', (field) => {
      const data = { ...(loadFixture(type).data as Record<string, unknown>) };
      delete data[field];
      const byClass = validByClass(type, data);
      expect(validBySchema(type, data)).toBe(byClass);
      // `resultDocumentSha256` is conditionally required; every other field is required or optional outright.
      if (field !== 'resultDocumentSha256') expect(byClass).toBe(!(schema.required ?? []).includes(field));
    });

    it.each(Object.keys(schema.properties))('with %s of the wrong type: both reject', (field) => {
      const data = { ...(loadFixture(type).data as Record<string, unknown>) };
      data[field] = schema.properties[field]!.type === 'string' ? 12 : 'not-the-type';
      expect(validByClass(type, data)).toBe(false);
      expect(validBySchema(type, data)).toBe(false);
    });
  });

  it('a local time with an offset is rejected by both (times are UTC)', () => {
    const data = { ...loadFixture(DossierReceivedV1).data, receivedAt: '2025-07-15T09:00:00+07:00' };
    expect(validByClass('dossier.received.v1', data)).toBe(false);
    expect(validBySchema('dossier.received.v1', data)).toBe(false);
  });

  it('a fractional amount of VND is rejected by both', () => {
    const data = { ...loadFixture(DossierReceivedV1).data, feeVnd: 8000.5 };
    expect(validByClass('dossier.received.v1', data)).toBe(false);
    expect(validBySchema('dossier.received.v1', data)).toBe(false);
  });

  it('dossier.resolved.v1 needs the document hash when the result must be signed, for both', () => {
    const data = { ...(loadFixture('dossier.resolved.v1').data as Record<string, unknown>) };
    delete data.resultDocumentSha256;
    expect(validByClass('dossier.resolved.v1', data)).toBe(false);
    expect(validBySchema('dossier.resolved.v1', data)).toBe(false);
    data.requiresSignature = false;
    expect(validByClass('dossier.resolved.v1', data)).toBe(true);
    expect(validBySchema('dossier.resolved.v1', data)).toBe(true);
  });
});
