import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createTestDatabase,
  eventually,
  signTestToken,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  type TestDatabase,
  testSigningKeys,
} from '@backbone/testing';
import { Client } from 'pg';
import {
  createPlatformApp,
  loadConfig,
  PlatformConfig,
  platformTestEnv,
  type Role,
  verifyAuditChainInDatabase,
} from '../src';
import { NotesAppModule } from './notes/notes.module';

const WARD_A = '00070';
const WARD_B = '00103';
// Personal values that must never appear in a log line.
const NATIONAL_ID_A = '001099012345';
const NATIONAL_ID_B = '079188054321';
const NATIONAL_ID_RETRY = '031200077777';

const { privatePem, publicPem } = testSigningKeys();

function tokenFor(subject: string, roles: Role[], units: string[], expiresInSeconds = 300): Promise<string> {
  return signTestToken(privatePem, { subject, roles, units, expiresInSeconds });
}

describe('platform on a real database (notes test app)', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let sql: Client;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};

  const inject = (options: {
    method: 'GET' | 'POST';
    url: string;
    token?: string;
    body?: unknown;
    payload?: string;
    headers?: Record<string, string>;
  }) =>
    app.inject({
      method: options.method,
      url: options.url,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined || options.payload !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...options.headers,
      },
      ...(options.payload !== undefined ? { payload: options.payload } : {}),
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });

  beforeAll(async () => {
    database = await createTestDatabase('platform');
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({
        DATABASE_URL: database.url,
        JWT_ISSUER: TEST_JWT_ISSUER,
        JWT_AUDIENCE: TEST_JWT_AUDIENCE,
        JWT_PUBLIC_KEY: publicPem,
        // Debug level: the most the service would ever log, so the PII check below is strict.
        LOG_LEVEL: 'debug',
        BODY_LIMIT_BYTES: '4096',
        RATE_LIMIT_MAX: '10000',
      }),
    );
    ({ app } = await createPlatformApp({
      serviceName: 'notes-test',
      config,
      module: NotesAppModule.forRoot(config),
      logDestination: { write: (line: string) => void logLines.push(line) },
    }));
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    tokens.officerA = await tokenFor('officer-a', ['officer'], [WARD_A]);
    tokens.officerB = await tokenFor('officer-b', ['officer'], [WARD_B]);
    tokens.hotlineA = await tokenFor('agent-a', ['hotline-agent'], [WARD_A]);
    tokens.auditor = await tokenFor('auditor-1', ['auditor'], []);
    tokens.cityAdmin = await tokenFor('admin-1', ['city-admin'], []);
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await database?.drop();
  });

  const noteFor = (unitCode: string, nationalId: string, title = 'Giấy xác nhận cư trú') => ({
    unitCode,
    title,
    nationalId,
  });

  let noteA: { id: string; unitCode: string; nationalId: string };
  let noteB: { id: string };

  it('creates notes for the caller’s own unit, encrypting the personal field and masking it on display', async () => {
    const createdA = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_A, NATIONAL_ID_A),
    });
    expect(createdA.statusCode).toBe(201);
    noteA = createdA.json();
    expect(noteA).toMatchObject({ unitCode: WARD_A, nationalId: '********2345' });
    expect(createdA.headers['x-request-id']).toEqual(expect.any(String));

    const createdB = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerB,
      body: noteFor(WARD_B, NATIONAL_ID_B),
    });
    expect(createdB.statusCode).toBe(201);
    noteB = createdB.json();

    const stored = await sql.query('SELECT national_id_cipher FROM test_notes WHERE id = $1', [noteA.id]);
    expect(stored.rows[0].national_id_cipher).toMatch(/^v1\.k1\./);
    expect(stored.rows[0].national_id_cipher).not.toContain(NATIONAL_ID_A);
  });

  it('answers 401 problem+json without a token, with a bad token, with an expired token', async () => {
    for (const token of [undefined, 'not.a.token', await tokenFor('officer-a', ['officer'], [WARD_A], -60)]) {
      const response = await inject({ method: 'GET', url: '/notes', ...(token ? { token } : {}) });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/notes' });
    }
  });

  it('answers 403 to a role the route does not allow, to an auditor writing, and to another unit’s create', async () => {
    const hotline = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.hotlineA,
      body: noteFor(WARD_A, NATIONAL_ID_A),
    });
    expect(hotline.statusCode).toBe(403);
    expect(hotline.headers['content-type']).toMatch(/^application\/problem\+json/);

    const auditor = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.auditor,
      body: noteFor(WARD_A, NATIONAL_ID_A),
    });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json().detail).toMatch(/read-only/);

    const otherUnit = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_B, NATIONAL_ID_A),
    });
    expect(otherUnit.statusCode).toBe(403);
  });

  it('hides another unit’s record: 404 by id, absent from lists and searches', async () => {
    const byId = await inject({ method: 'GET', url: `/notes/${noteA.id}`, token: tokens.officerB });
    expect(byId.statusCode).toBe(404);
    expect(byId.headers['content-type']).toMatch(/^application\/problem\+json/);

    const own = await inject({ method: 'GET', url: `/notes/${noteA.id}`, token: tokens.officerA });
    expect(own.statusCode).toBe(200);

    const listB = (await inject({ method: 'GET', url: '/notes', token: tokens.officerB })).json();
    expect(listB.map((note: { id: string }) => note.id)).toEqual([noteB.id]);

    const searchB = await inject({
      method: 'GET',
      url: `/notes/search?nationalId=${NATIONAL_ID_A}`,
      token: tokens.officerB,
    });
    expect(searchB.json()).toEqual([]);
    const searchA = await inject({
      method: 'GET',
      url: `/notes/search?nationalId=${NATIONAL_ID_A}`,
      token: tokens.officerA,
    });
    expect(searchA.json().map((note: { id: string }) => note.id)).toEqual([noteA.id]);
  });

  it('lets the city admin and the auditor read every unit', async () => {
    for (const token of [tokens.cityAdmin, tokens.auditor]) {
      const ids = (await inject({ method: 'GET', url: '/notes', token }))
        .json()
        .map((note: { id: string }) => note.id);
      expect(ids).toEqual(expect.arrayContaining([noteA.id, noteB.id]));
      expect((await inject({ method: 'GET', url: `/notes/${noteB.id}`, token })).statusCode).toBe(200);
    }
  });

  it('replays an idempotent retry with the same response and creates one record; another body with the key is 409', async () => {
    const body = noteFor(WARD_A, NATIONAL_ID_RETRY, 'retry me');
    const headers = { 'idempotency-key': 'create-note-7f3a' };
    const first = await inject({ method: 'POST', url: '/notes', token: tokens.officerA, body, headers });
    const retry = await inject({ method: 'POST', url: '/notes', token: tokens.officerA, body, headers });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const count = await sql.query("SELECT count(*)::int AS n FROM test_notes WHERE title = 'retry me'");
    expect(count.rows[0].n).toBe(1);

    const reused = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: { ...body, title: 'something else' },
      headers,
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ type: 'urn:backbone:problem:idempotency-key-reused', status: 409 });

    // The same key from another caller is another key.
    const otherCaller = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerB,
      body: noteFor(WARD_B, NATIONAL_ID_RETRY, 'retry me'),
      headers,
    });
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.headers['idempotent-replayed']).toBeUndefined();
  });

  it('frees an expired Idempotency-Key: the same key then runs a new request', async () => {
    const headers = { 'idempotency-key': 'create-note-expiring' };
    const first = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_A, NATIONAL_ID_RETRY, 'expiring 1'),
      headers,
    });
    expect(first.statusCode).toBe(201);
    await sql.query(
      "UPDATE platform_idempotency_keys SET expires_at = now() - interval '1 second' WHERE idempotency_key = $1",
      [headers['idempotency-key']],
    );
    const second = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_A, NATIONAL_ID_RETRY, 'expiring 2'),
      headers,
    });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().id).not.toBe(first.json().id);
    const replay = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_A, NATIONAL_ID_RETRY, 'expiring 2'),
      headers,
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(second.json());
  });

  it('answers 400 problem+json for a body nested too deep, instead of overflowing the stack', async () => {
    const deep = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      // 1,500 levels: as deep as this app's 4 KiB body limit allows.
      payload: `{"unitCode":"00070","title":${'['.repeat(1_500)}${']'.repeat(1_500)}}`,
    });
    expect(deep.statusCode).toBe(400);
    expect(deep.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(deep.json().detail).toMatch(/nested deeper than 32 levels/);
  });

  it('answers 400 problem+json for malformed JSON, naming the field for unknown or invalid fields', async () => {
    const malformed = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      payload: '{"unitCode": "00070",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(malformed.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/not valid JSON/) });

    const unknown = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: { ...noteFor(WARD_A, NATIONAL_ID_A), nickname: 'x' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json().errors).toEqual([{ field: 'nickname', reason: 'is not an allowed field' }]);

    const invalid = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: { unitCode: WARD_A, title: 'x', nationalId: '12345' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors).toEqual([
      { field: 'nationalId', reason: 'must be a 12-digit national id' },
    ]);
    expect(invalid.body).not.toContain('12345"');
  });

  it('answers 413 problem+json for a body over the limit', async () => {
    const response = await inject({
      method: 'POST',
      url: '/notes',
      token: tokens.officerA,
      body: noteFor(WARD_A, NATIONAL_ID_A, 'x'.repeat(5000)),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 413 });
  });

  it('never shows a stack trace or SQL in an error response', async () => {
    const response = await inject({ method: 'GET', url: '/notes/not-a-uuid', token: tokens.officerA });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(/at .*\.(ts|js):\d+|SELECT|QueryFailedError/);
  });

  it('applies a per-route rate limit with a 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push(
        (await inject({ method: 'GET', url: '/notes/limited', token: tokens.officerA })).statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await inject({ method: 'GET', url: '/notes/limited', token: tokens.officerA });
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('sets security headers and serves the OpenAPI document', async () => {
    const response = await inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.json().paths).toHaveProperty('/notes');
  });

  it("describes bodies and query strings from the DTOs' validation decorators", async () => {
    const document = (await inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(document.components.schemas.CreateNoteDto).toMatchObject({
      required: expect.arrayContaining(['unitCode', 'title', 'nationalId']),
      properties: { title: { type: 'string', minLength: 1, maxLength: 200 } },
    });
    expect(document.paths['/notes/search'].get.parameters).toContainEqual(
      expect.objectContaining({ name: 'nationalId', in: 'query', required: true }),
    );
  });

  it('serves liveness, readiness (database and Kafka) and Prometheus metrics without a token', async () => {
    expect((await inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    const metrics = await inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/notes\/:id"/);
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
  });

  it('exposes the correlation id to code serving the request, for the events it causes', async () => {
    const response = await inject({
      method: 'GET',
      url: '/notes/trace',
      headers: { 'x-correlation-id': 'corr-0001-abcd' },
    });
    expect(response.json()).toEqual({
      correlationid: 'corr-0001-abcd',
      causationid: response.headers['x-request-id'],
    });
  });

  it('audits every state change and refusal in an intact, append-only hash chain', async () => {
    // Refusals are audited when the response has been sent, so give that write a moment.
    const audit = await eventually(async () => {
      const result = await sql.query(
        'SELECT action, outcome, actor_subject, target_id, request_id FROM platform_audit_log ORDER BY occurred_at',
      );
      expect(result.rows.some((row) => row.actor_subject === 'auditor-1')).toBe(true);
      return result;
    });
    const created = audit.rows.filter((row) => row.action === 'note.create');
    expect(created.map((row) => row.target_id)).toEqual(expect.arrayContaining([noteA.id, noteB.id]));
    expect(created.every((row) => row.outcome === 'succeeded' && row.request_id)).toBe(true);
    expect(audit.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor_subject: 'auditor-1', outcome: 'denied', action: 'POST /notes' }),
      ]),
    );

    const query = (text: string, params: unknown[]) => sql.query(text, params).then((result) => result.rows);
    // Refused requests are audited just after their response, so a late row can still land here:
    // compare against the table as it is when the chain is verified, once writes have settled.
    await eventually(async () => {
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM platform_audit_log');
      expect(rows[0].n).toBeGreaterThanOrEqual(audit.rows.length);
      expect(await verifyAuditChainInDatabase(query)).toEqual({ intact: true, checked: rows[0].n });
    });

    // The records are linked by the chain (seq → record) just after their commit; both are append-only.
    const recordAtSeq2 = '(SELECT record_id FROM platform_audit_chain WHERE seq = 2)';
    await expect(
      sql.query(`UPDATE platform_audit_log SET outcome = 'denied' WHERE id = ${recordAtSeq2}`),
    ).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM platform_audit_log WHERE id = ${recordAtSeq2}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`UPDATE platform_audit_chain SET hash = prev_hash WHERE seq = 2`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`DELETE FROM platform_audit_chain WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(sql.query(`TRUNCATE platform_audit_chain`)).rejects.toThrow(/append-only/);

    // Someone with the power to disable the trigger edits a row: the chain names that row.
    await sql.query('ALTER TABLE platform_audit_log DISABLE TRIGGER platform_audit_log_append_only');
    await sql.query(`UPDATE platform_audit_log SET actor_subject = 'nobody' WHERE id = ${recordAtSeq2}`);
    await sql.query('ALTER TABLE platform_audit_log ENABLE TRIGGER platform_audit_log_append_only');
    expect(await verifyAuditChainInDatabase(query, 1)).toMatchObject({
      intact: false,
      brokenAtSeq: '2',
      checked: 1,
    });
  });

  it('never wrote a personal value or a token to the log', () => {
    const everything = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(10);
    for (const secret of [NATIONAL_ID_A, NATIONAL_ID_B, NATIONAL_ID_RETRY, tokens.officerA, tokens.auditor]) {
      expect(everything).not.toContain(secret);
    }
    const requestLines = logLines
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThan(5);
    expect(requestLines.every((line) => typeof line.requestId === 'string')).toBe(true);
  });
});
