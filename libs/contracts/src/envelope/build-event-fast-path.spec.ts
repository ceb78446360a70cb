import { plainToInstance } from 'class-transformer';
import { allFixtures, buildEvent, type CloudEvent, EventContractError } from '../index';
import { compiledValidatorFor } from './compiled-validator';
import { type EventClass, eventClassFor } from './event-type';

/*
 * buildEvent's compiled path must decide exactly as class-validator does (whitelist, unknown
 * properties forbidden) and give the same event, data included, as instanceToPlain would. Both
 * paths run on every fixture and on damaged copies of each, as plain objects and as class
 * instances, with the same id and time, and their outcomes are compared.
 */

type Outcome = { kind: 'event'; event: CloudEvent } | { kind: 'error'; reason: string; problems: string[] };

const time = new Date('2026-11-26T03:00:00.000Z');

function outcomeOf(
  eventClass: EventClass,
  fixture: CloudEvent,
  data: object,
  validation: 'compiled' | 'class-validator',
): Outcome {
  try {
    const event = buildEvent(
      eventClass,
      {
        id: fixture.id,
        time,
        subject: fixture.subject,
        unitcode: fixture.unitcode,
        sequence: fixture.sequence,
        correlationid: fixture.correlationid,
        data,
      },
      { validation },
    );
    return { kind: 'event', event };
  } catch (error) {
    if (!(error instanceof EventContractError)) throw error;
    return { kind: 'error', reason: error.reason, problems: error.problems };
  }
}

const fixtures = allFixtures();

describe('buildEvent: the compiled path agrees with class-validator', () => {
  describe.each(fixtures.map((fixture) => [fixture.type, fixture] as const))('%s', (type, fixture) => {
    const eventClass = eventClassFor(type)!;
    const data = fixture.data as Record<string, unknown>;
    const damaged: [string, Record<string, unknown>][] = [['as is', { ...data }]];
    for (const field of Object.keys(data)) {
      const without = { ...data };
      delete without[field];
      damaged.push([`without ${field}`, without]);
      damaged.push([`${field} null`, { ...data, [field]: null }]);
      damaged.push([`${field} undefined`, { ...data, [field]: undefined }]);
      damaged.push([`${field} a number`, { ...data, [field]: 12 }]);
      damaged.push([`${field} a string`, { ...data, [field]: 'not-the-type' }]);
      damaged.push([`${field} an object`, { ...data, [field]: { nested: true } }]);
      damaged.push([`${field} an array`, { ...data, [field]: [data[field]] }]);
    }
    damaged.push(['with an unknown field', { ...data, notInTheContract: 'refused' }]);

    it.each(damaged)('%s: same outcome on both paths, plain and as an instance', (_label, payload) => {
      for (const input of [payload, plainToInstance(eventClass, payload) as object]) {
        const compiled = outcomeOf(eventClass, fixture, input, 'compiled');
        const reference = outcomeOf(eventClass, fixture, input, 'class-validator');
        // toStrictEqual: the same own properties, undefined ones included, and plain objects both.
        expect(compiled).toStrictEqual(reference);
      }
    });
  });

  it('the fixtures of classes with a compiled validator take the compiled path', () => {
    const compiledTypes = fixtures.filter((f) => compiledValidatorFor(eventClassFor(f.type)!) !== null);
    expect(compiledTypes.length).toBeGreaterThan(25);
  });

  it('a payload of another class is left to class-validator', () => {
    const fixture = fixtures.find((f) => f.type === 'dossier.received.v1')!;
    class Unrelated {}
    const foreign = Object.assign(new Unrelated(), fixture.data);
    const eventClass = eventClassFor(fixture.type)!;
    expect(outcomeOf(eventClass, fixture, foreign, 'compiled')).toStrictEqual(
      outcomeOf(eventClass, fixture, foreign, 'class-validator'),
    );
  });
});
