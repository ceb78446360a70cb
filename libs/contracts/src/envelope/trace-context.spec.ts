import { envelopeSchema } from '../generate/json-schema';
import { buildEvent, DossierReceivedV1, EventContractError, loadFixture, parseEvent } from '../index';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const sample = () => loadFixture(DossierReceivedV1);
const build = (trace: { traceparent?: string; tracestate?: string }) =>
  buildEvent(DossierReceivedV1, {
    subject: sample().data.dossierId,
    unitcode: '00070',
    sequence: 1,
    data: sample().data,
    ...trace,
  });

function refusal(run: () => unknown): EventContractError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EventContractError);
    return error as EventContractError;
  }
  throw new Error('expected an EventContractError');
}

describe('the distributed-tracing extension (traceparent, tracestate)', () => {
  it('is optional: an event built without it has neither attribute', () => {
    const event = build({});
    expect(event).not.toHaveProperty('traceparent');
    expect(event).not.toHaveProperty('tracestate');
    expect(parseEvent(JSON.stringify(event)).traceparent).toBeUndefined();
  });

  it('travels in the envelope from buildEvent through the record value to parseEvent', () => {
    const event = build({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' });
    expect(event).toMatchObject({ traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE' });
    expect(parseEvent(JSON.stringify(event))).toMatchObject({
      traceparent: TRACEPARENT,
      tracestate: 'congo=t61rcWkgMzE',
    });
  });

  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', 'traceparent'],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', 'traceparent'],
    ['not a traceparent', 'traceparent'],
  ])('refuses the traceparent %s on both sides', (traceparent, attribute) => {
    expect(refusal(() => build({ traceparent })).problems.join()).toContain(attribute);
    const forged = { ...build({}), traceparent };
    const error = refusal(() => parseEvent(JSON.stringify(forged)));
    expect(error.reason).toBe('invalid-attribute');
    expect(error.problems.join()).toContain(attribute);
  });

  it('refuses a tracestate without a traceparent, too long, or not printable', () => {
    expect(refusal(() => build({ tracestate: 'a=b' })).problems.join()).toContain('tracestate');
    const tooLong = { ...build({ traceparent: TRACEPARENT }), tracestate: `a=${'x'.repeat(600)}` };
    expect(refusal(() => parseEvent(JSON.stringify(tooLong))).reason).toBe('invalid-attribute');
    const control = { ...build({ traceparent: TRACEPARENT }), tracestate: 'a=\u0007' };
    expect(refusal(() => parseEvent(JSON.stringify(control))).reason).toBe('invalid-attribute');
    const notText = { ...build({}), traceparent: 42 };
    expect(refusal(() => parseEvent(JSON.stringify(notText))).reason).toBe('invalid-attribute');
  });

  it('is in the envelope schema, optional', () => {
    const schema = envelopeSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.properties).toHaveProperty('traceparent');
    expect(schema.properties).toHaveProperty('tracestate');
    expect(schema.required).not.toContain('traceparent');
  });
});
