import {
  buildEvent,
  CallEndedV1,
  DossierReceivedV1,
  EventContractError,
  EVENT_HEADERS,
  isEventOf,
  isUuidV7,
  loadFixture,
  parseEvent,
  SignatureCompletedV1,
  SignatureReference,
  uuidv7,
  uuidv7Time,
  DEVELOPMENT_EVENT_SCHEMA_BASE_URL,
  eventSchemaBaseUrl,
  normaliseSchemaBaseUrl,
  setEventSchemaBaseUrl,
} from '../index';

function expectContractError(run: () => unknown): EventContractError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EventContractError);
    return error as EventContractError;
  }
  throw new Error('expected an EventContractError, nothing was thrown');
}

const received = () => loadFixture(DossierReceivedV1);

describe('buildEvent / parseEvent', () => {
  it('round-trips a typed payload through the Kafka record value', () => {
    const sample = received();
    const built = buildEvent(DossierReceivedV1, {
      subject: sample.data.dossierId,
      unitcode: '00070',
      sequence: 2,
      data: sample.data,
      time: new Date('2025-07-15T02:00:00Z'),
    });

    expect(built).toMatchObject({
      specversion: '1.0',
      source: '/two-tier-backbone/dossier',
      type: 'dossier.received.v1',
      subject: sample.data.dossierId,
      time: '2025-07-15T02:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'http://127.0.0.1:3105/events/schemas/dossier.received.v1.json',
      partitionkey: sample.data.dossierId,
      unitcode: '00070',
      sequence: 2,
    });
    expect(isUuidV7(built.id)).toBe(true);
    expect(built.correlationid).toBe(built.id);

    const parsed = parseEvent(Buffer.from(JSON.stringify(built)));
    expect(parsed).toEqual({ ...built, data: expect.any(DossierReceivedV1) });
    expect(isEventOf(parsed, DossierReceivedV1)).toBe(true);
    expect({ ...parsed.data }).toEqual(sample.data);
  });

  it('turns nested objects back into their classes', () => {
    const parsed = parseEvent(JSON.stringify(loadFixture(SignatureCompletedV1)));
    expect(isEventOf(parsed, SignatureCompletedV1)).toBe(true);
    expect((parsed.data as SignatureCompletedV1).reference).toBeInstanceOf(SignatureReference);
  });

  it('keeps correlation and causation ids given by the caller', () => {
    const sample = received();
    const built = buildEvent(DossierReceivedV1, {
      subject: sample.subject,
      unitcode: '00070',
      sequence: 1,
      data: sample.data,
      correlationid: 'request-1',
      causationid: sample.id,
    });
    expect(built).toMatchObject({ correlationid: 'request-1', causationid: sample.id });
  });

  it('refuses to build an invalid payload, naming the field', () => {
    const sample = received();
    const error = expectContractError(() =>
      buildEvent(DossierReceivedV1, {
        subject: sample.subject,
        unitcode: '00070',
        sequence: 1,
        data: { ...sample.data, feeVnd: 12.5 },
      }),
    );
    expect(error.reason).toBe('invalid-data');
    expect(error.problems.join('\n')).toMatch(/^data\.feeVnd: /m);
  });

  it('refuses to build a payload with a field the class does not declare', () => {
    const sample = received();
    const error = expectContractError(() =>
      buildEvent(DossierReceivedV1, {
        subject: sample.subject,
        unitcode: '00070',
        sequence: 1,
        // A field outside the class (here, personal data) must not slip through to Kafka.
        data: { ...sample.data, applicantName: 'Nguyễn Văn A' } as DossierReceivedV1,
      }),
    );
    expect(error.problems.join('\n')).toContain('applicantName');
  });

  it('refuses a bad sequence, an empty subject and an empty unit code', () => {
    const sample = received();
    const error = expectContractError(() =>
      buildEvent(DossierReceivedV1, { subject: '', unitcode: '', sequence: 0, data: sample.data }),
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sequence: /),
        expect.stringMatching(/^subject: /),
        expect.stringMatching(/^unitcode: /),
      ]),
    );
  });

  it('refuses what parseEvent would refuse: a subject other than the aggregate id, a malformed unit code', () => {
    const sample = received();
    const error = expectContractError(() =>
      buildEvent(DossierReceivedV1, { subject: uuidv7(), unitcode: '0070', sequence: 1, data: sample.data }),
    );
    expect(error.problems).toEqual([
      'subject: must be the aggregate id (data.dossierId)',
      'unitcode: must be a 5-digit unit code or a department code',
    ]);
  });
});

describe('parseEvent errors', () => {
  it('invalid JSON → invalid-json', () => {
    for (const value of ['{"specversion":', '', null, undefined, Buffer.from([0xff, 0x00])]) {
      const error = expectContractError(() => parseEvent(value));
      expect(error.reason).toBe('invalid-json');
      expect(error.problems[0]).toMatch(/^value: /);
    }
  });

  it('a JSON value that is not an object → invalid-json', () => {
    for (const value of ['[]', '42', '"text"', 'null']) {
      expect(expectContractError(() => parseEvent(value)).reason).toBe('invalid-json');
    }
  });

  it('missing attributes → missing-attribute, each named', () => {
    const event = received() as unknown as Record<string, unknown>;
    delete event.subject;
    delete event.sequence;
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.reason).toBe('missing-attribute');
    expect(error.problems).toEqual(['subject: is required', 'sequence: is required']);
    expect(error.eventType).toBe('dossier.received.v1');
    expect(error.message).toContain('subject');
  });

  it('malformed attributes → invalid-attribute, each named', () => {
    const event = {
      ...received(),
      id: 'not-a-uuid',
      time: '2025-07-15 02:00',
      specversion: '0.3',
      sequence: 0,
    };
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.reason).toBe('invalid-attribute');
    expect(error.problems.map((line) => line.split(':')[0])).toEqual([
      'specversion',
      'id',
      'time',
      'sequence',
    ]);
  });

  it('an id that is a UUID but not version 7 → invalid-attribute', () => {
    const event = { ...received(), id: '0b6c9a1e-3c55-4d8e-9b1a-2f4e5d6c7b8a' };
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.problems).toEqual(['id: must be a UUIDv7']);
  });

  it('unknown type → unknown-type, naming the type', () => {
    const event = { ...received(), type: 'dossier.teleported.v1' };
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.reason).toBe('unknown-type');
    expect(error.eventType).toBe('dossier.teleported.v1');
    expect(error.problems[0]).toMatch(/^type: "dossier\.teleported\.v1"/);
  });

  it('invalid data → invalid-data, naming every failing field', () => {
    const sample = received();
    const event = {
      ...sample,
      data: { ...sample.data, channel: 'fax', feeVnd: -1, dueAt: '2025-07-18T09:00:00+07:00' },
    };
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.reason).toBe('invalid-data');
    expect(error.eventType).toBe('dossier.received.v1');
    const fields = new Set(error.problems.map((line) => line.split(':')[0]));
    expect([...fields].sort()).toEqual(['data.channel', 'data.dueAt', 'data.feeVnd']);
  });

  it('invalid nested data → invalid-data with the nested path', () => {
    const sample = loadFixture(SignatureCompletedV1);
    const event = {
      ...sample,
      data: { ...sample.data, reference: { ...sample.data.reference, kind: 'letter' } },
    };
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    expect(error.problems.join('\n')).toMatch(/^data\.reference\.kind: /m);
  });

  it('a missing nested object → invalid-data', () => {
    const sample = loadFixture(SignatureCompletedV1) as unknown as { data: Record<string, unknown> };
    delete sample.data.reference;
    const error = expectContractError(() => parseEvent(JSON.stringify(sample)));
    expect(error.problems.join('\n')).toMatch(/^data\.reference: /m);
  });

  it('a missing required data field → invalid-data', () => {
    const sample = loadFixture(CallEndedV1) as unknown as { data: Record<string, unknown> };
    delete sample.data.outcome;
    const error = expectContractError(() => parseEvent(JSON.stringify(sample)));
    expect(error.problems.join('\n')).toMatch(/^data\.outcome: /m);
  });

  it('tolerates (and drops) data fields it does not know: a newer producer may add optional fields', () => {
    const sample = received();
    const parsed = parseEvent(JSON.stringify({ ...sample, data: { ...sample.data, addedLater: 1 } }));
    expect(parsed.data).not.toHaveProperty('addedLater');
  });
});

describe('parseEvent refuses what would fail downstream (issue 11)', () => {
  const problemsOf = (event: unknown) => {
    const error = expectContractError(() => parseEvent(JSON.stringify(event)));
    return { reason: error.reason, problems: error.problems };
  };

  it('every envelope attribute by the envelope schema', () => {
    const event = {
      ...received(),
      source: 'dossier',
      unitcode: "00070'; DROP TABLE x; --",
      time: '2025-07-15T09:00:00+07:00',
      dataschema: 'http://elsewhere/x.json',
      causationid: '',
    };
    expect(problemsOf(event)).toEqual({
      reason: 'invalid-attribute',
      problems: [
        'source: must be /two-tier-backbone/<service>',
        'time: must be an RFC 3339 UTC timestamp ending in Z',
        'dataschema: must be the URL of schemas/<type>.json',
        'unitcode: must be a 5-digit unit code or a department code',
        'causationid: must be a non-empty string',
      ],
    });
  });

  it('a subject that is not the aggregate id (a dossier event keyed by anything but its UUIDv7)', () => {
    expect(problemsOf({ ...received(), subject: 'not-a-uuid' })).toEqual({
      reason: 'invalid-attribute',
      problems: [expect.stringMatching(/^subject: must be the aggregate id \(.*data\.dossierId/)],
    });
    expect(problemsOf({ ...received(), subject: uuidv7() }).reason).toBe('invalid-attribute');
  });

  it('a NUL anywhere: envelope, data value, data key', () => {
    const sample = received();
    expect(problemsOf({ ...sample, correlationid: 'a\u0000b' })).toEqual({
      reason: 'invalid-attribute',
      problems: ['correlationid: must not contain NUL (U+0000)'],
    });
    expect(problemsOf({ ...sample, data: { ...sample.data, field: 'Hộ\u0000tịch' } })).toEqual({
      reason: 'invalid-data',
      problems: ['data.field: must not contain NUL (U+0000)'],
    });
    expect(problemsOf({ ...sample, data: { ...sample.data, ['x\u0000']: 1 } })).toEqual({
      reason: 'invalid-data',
      problems: ['data.x\\u0000: must not contain NUL (U+0000)'],
    });
  });

  it('a backslash followed by u0000 is text, not a NUL', () => {
    const sample = received();
    const parsed = parseEvent(JSON.stringify({ ...sample, correlationid: 'a\\u0000b' }));
    expect(parsed.correlationid).toBe('a\\u0000b');
  });
});

describe("dataschema: an absolute URL under the deployment's catalogue base (issue 18)", () => {
  afterEach(() => setEventSchemaBaseUrl(DEVELOPMENT_EVENT_SCHEMA_BASE_URL));
  const build = () => {
    const sample = received();
    return buildEvent(DossierReceivedV1, {
      subject: sample.data.dossierId,
      unitcode: '00070',
      sequence: 1,
      data: sample.data,
    });
  };

  it('is the configured base + schemas/<type>.json; the base is normalised to end in /', () => {
    expect(eventSchemaBaseUrl()).toBe(DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
    expect(setEventSchemaBaseUrl('https://backbone.hanoi.gov.vn/events')).toBe(
      'https://backbone.hanoi.gov.vn/events/',
    );
    const event = build();
    expect(event.dataschema).toBe('https://backbone.hanoi.gov.vn/events/schemas/dossier.received.v1.json');
    expect(parseEvent(JSON.stringify(event)).dataschema).toBe(event.dataschema);
    expect(loadFixture(DossierReceivedV1).dataschema).toBe(event.dataschema);
  });

  it('refuses a base that is not a plain absolute http(s) URL', () => {
    for (const bad of [
      'events/',
      'ftp://host/events/',
      'https://u:p@host/',
      'https://host/e/?x=1',
      'https://host/#a',
    ])
      expect(() => normaliseSchemaBaseUrl(bad)).toThrow(/event schema base URL/);
    expect(eventSchemaBaseUrl()).toBe(DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
  });

  it('parseEvent still accepts the relative form of records written before (replays read them)', () => {
    const legacy = { ...received(), dataschema: 'schemas/dossier.received.v1.json' };
    delete (legacy as { partitionkey?: string }).partitionkey;
    expect(parseEvent(JSON.stringify(legacy)).dataschema).toBe('schemas/dossier.received.v1.json');
  });

  it('parseEvent refuses a dataschema that names no schema of the catalogue, and a partitionkey other than subject', () => {
    for (const dataschema of [
      'https://host/x.json',
      'https://host/schemas/Dossier.json',
      'file:///schemas/a.b.v1.json',
    ])
      expect(
        expectContractError(() => parseEvent(JSON.stringify({ ...build(), dataschema }))).problems,
      ).toEqual(['dataschema: must be the URL of schemas/<type>.json']);
    expect(
      expectContractError(() => parseEvent(JSON.stringify({ ...build(), partitionkey: uuidv7() }))).problems,
    ).toEqual(['partitionkey: must equal subject (the Kafka key)']);
  });

  it('buildEvent sets partitionkey to the subject: the record key is the partition key', () => {
    const event = build();
    expect(event.partitionkey).toBe(event.subject);
  });
});

describe('uuidv7', () => {
  it('has the RFC 9562 version and variant bits', () => {
    for (let i = 0; i < 1000; i += 1) {
      const id = uuidv7();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuidV7(id)).toBe(true);
    }
  });

  it('encodes the time in its first 48 bits', () => {
    const now = Date.now() + 60_000; // ahead of any id made so far in this process
    expect(uuidv7Time(uuidv7(now))).toBe(now);
  });

  it('sorts in creation order, also within one millisecond and across counter overflow', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const sameMillisecond = Array.from({ length: 5000 }, () => uuidv7(Date.now() + 120_000));
    expect([...sameMillisecond].sort()).toEqual(sameMillisecond);
  });

  it('rejects other UUID versions and non-strings', () => {
    expect(isUuidV7('0b6c9a1e-3c55-4d8e-9b1a-2f4e5d6c7b8a')).toBe(false);
    expect(isUuidV7('01987990-F5C0-7109-835D-543F1AAA492B')).toBe(false);
    expect(isUuidV7(42)).toBe(false);
  });
});

describe('EVENT_HEADERS', () => {
  it('names the Kafka headers routers read', () => {
    expect(EVENT_HEADERS).toEqual({ type: 'ce_type', id: 'ce_id', contentType: 'content-type' });
  });
});
