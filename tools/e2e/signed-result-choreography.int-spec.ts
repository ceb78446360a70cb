// The dossier → signing → dossier choreography (issue 13, ADR 0012) with both services in this
// process, on the real broker and databases, sharing their two topics as in production.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudEvent } from '@backbone/contracts';
import { eventually, readTopicUntil, uniqueName } from '@backbone/testing';
import { eventsOf, type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { AuditTrail } from '@backbone/platform';
import { DataSource } from 'typeorm';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the end-to-end test runs both services in one process
import { AppModule as DossierModule } from '../../services/dossier/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem
import { DossierConfig } from '../../services/dossier/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem
import { AppModule as SigningModule } from '../../services/signing/src/app.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem
import { SigningConfig } from '../../services/signing/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem: the demo signer's certificate, issued programmatically
import { DocumentSigning } from '../../services/signing/src/signer/document-signing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem: a second instance of the timeout scanner
import { SessionTimeoutScanner } from '../../services/signing/src/session-timeout/session-timeout.scanner';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the demo's client pieces: its authenticator and its result PDF
import { base32Decode, totpAt, TOTP_STEP_SECONDS } from '../simulator/src/totp-client';
// eslint-disable-next-line @nx/enforce-module-boundaries -- idem
import { resultPdf } from '../simulator/src/result-pdf';

const WARD = '00070'; // Phường Hoàn Kiếm
const OTHER_WARD = '00103'; // Phường Tây Hồ
const BIRTH = '1.001193'; // Đăng ký khai sinh: same day, signed result
const NATIONAL_ID = '001099012345';
const HEAD = '0198a000-0000-7000-9000-000000000070';
const DEPUTY = '0198a000-0000-7000-9100-000000000070';
const OTHER_HEAD = '0198a000-0000-7000-9000-000000000103';
const OFFICER = '0198a000-0000-7000-8000-000000000070';
const TIMEOUT_SECONDS = 15;

type Json = Record<string, unknown> & { [key: string]: unknown };

describe('signed results: dossier → signing → dossier', () => {
  let dossier: ServiceTestApp<DossierConfig>;
  let signing: ServiceTestApp<SigningConfig>;
  const dossierTokens: Record<string, string> = {};
  const signingTokens: Record<string, string> = {};
  const secrets: Record<string, Buffer> = {};
  /** The last TOTP step each signer used (activation included): every step is accepted once. */
  const lastStep: Record<string, number> = {};
  const stepOf = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
  const certificates: Record<string, string> = {};
  let pkiDir: string;

  beforeAll(async () => {
    // A city PKI of this run's own (created by the service at start-up outside production).
    pkiDir = await mkdtemp(join(tmpdir(), 'signing-pki-e2e-'));
    const dossierTopic = uniqueName('test_dossier_events');
    const signingTopic = uniqueName('test_signing_events');
    const topics = [
      { topic: dossierTopic, numPartitions: 3 },
      { topic: signingTopic, numPartitions: 3 },
    ];
    [dossier, signing] = await Promise.all([
      startServiceTestApp({
        serviceName: 'dossier',
        consumesEvents: true,
        configSchema: DossierConfig,
        module: (config) => DossierModule.forRoot(config),
        topics,
        env: {
          DOSSIER_EVENTS_TOPIC: dossierTopic,
          SIGNING_EVENTS_TOPIC: signingTopic,
          DOSSIER_CONSUMER_GROUP: uniqueName('test_dossier'),
          OVERDUE_SCAN_INTERVAL_MS: '0',
        },
      }),
      startServiceTestApp({
        serviceName: 'signing',
        consumesEvents: true,
        configSchema: SigningConfig,
        module: (config) => SigningModule.forRoot(config),
        topics,
        env: {
          DOSSIER_EVENTS_TOPIC: dossierTopic,
          SIGNING_EVENTS_TOPIC: signingTopic,
          SIGNING_CONSUMER_GROUP: uniqueName('test_signing'),
          SIGNING_SESSION_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
          SIGNING_SESSION_SCAN_INTERVAL_MS: '250',
          SIGNING_PKI_DIR: pkiDir,
          // Small enough for a test's result PDFs to cross it (a few are ~1 KB; a long one 20 KB).
          SIGNING_CONFIRMATION_MAX_BYTES: '10000',
        },
      }),
    ]);
    dossierTokens.officer = await dossier.token(OFFICER, ['officer'], [WARD]);
    dossierTokens.head = await dossier.token(HEAD, ['unit-head'], [WARD]);
    for (const [name, subject, unit] of [
      ['head', HEAD, WARD],
      ['deputy', DEPUTY, WARD],
      ['otherHead', OTHER_HEAD, OTHER_WARD],
    ] as const) {
      signingTokens[name] = await signing.token(subject, name === 'deputy' ? ['signer'] : ['unit-head'], [
        unit,
      ]);
      const certificate = await signing.app.get(DocumentSigning).ensureCertificateFor({
        holderId: subject,
        unitCode: unit,
        commonName: `Demo signer ${name}`,
      });
      certificates[name] = certificate.certificateId;
      // TOTP enrolment through the API: a secret once, activated by a first code.
      const enrolled = await call(signing, 'POST', '/signers/me/second-factor', signingTokens[name]!);
      expect(enrolled.statusCode).toBe(201);
      const body = enrolled.json() as { secret: string; otpauthUri: string };
      expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      secrets[name] = base32Decode(body.secret);
      const at = new Date();
      const activated = await call(
        signing,
        'POST',
        '/signers/me/second-factor/activate',
        signingTokens[name]!,
        {
          code: totpAt(secrets[name]!, at),
        },
      );
      lastStep[name] = stepOf(at);
      expect(activated.json()).toMatchObject({ status: 'active' });
    }
  });

  afterAll(async () => {
    await Promise.all([dossier?.close(), signing?.close()]);
    if (pkiDir) await rm(pkiDir, { recursive: true, force: true });
  });

  async function call(
    app: ServiceTestApp<DossierConfig> | ServiceTestApp<SigningConfig>,
    method: 'GET' | 'POST',
    url: string,
    token?: string,
    body?: unknown,
  ) {
    return app.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  /**
   * A code of a step the signer has not used yet. The service accepts one step of clock drift either
   * way, so an authenticator running up to one step ahead has up to three fresh steps at hand;
   * beyond that it waits for the clock (each step is accepted once).
   */
  async function freshCode(name: string): Promise<string> {
    for (;;) {
      const current = stepOf(new Date());
      const step = Math.max((lastStep[name] ?? 0) + 1, current - 1);
      if (step <= current + 1) {
        lastStep[name] = step;
        return totpAt(secrets[name]!, new Date(step * TOTP_STEP_SECONDS * 1000));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  /** A birth registration taken to `resolved` with an uploaded result PDF. */
  async function resolvedWithResult(label: string) {
    const created = await call(dossier, 'POST', '/dossiers', dossierTokens.officer, {
      unitCode: WARD,
      procedureCode: BIRTH,
      channel: 'direct',
      digitised: true,
      applicant: { fullName: 'Nguyễn Văn An', nationalId: NATIONAL_ID },
      attachments: [],
    });
    expect(created.statusCode).toBe(201);
    const { id, code, version } = created.json() as { id: string; code: string; version: number };
    const started = await call(dossier, 'POST', `/dossiers/${id}/start-processing`, dossierTokens.officer, {
      expectedVersion: version,
    });
    const pdf = resultPdf([`Ket qua ho so ${code}`, label]);
    const upload = await call(dossier, 'POST', `/dossiers/${id}/result-document`, dossierTokens.officer, {
      expectedVersion: (started.json() as { version: number }).version,
      contentBase64: pdf.toString('base64'),
    });
    expect(upload.statusCode).toBe(200);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(upload.json()).toMatchObject({ status: 'resolved', resultDocumentSha256: sha256 });
    return { id, code, pdf, sha256 };
  }

  /** The signing task of a dossier, once the signing service has consumed its resolution. */
  async function taskOf(dossierId: string, token = signingTokens.head!) {
    return eventually(
      async () => {
        const queue = (await call(signing, 'GET', `/signature-tasks?unit=${WARD}`, token)).json() as {
          items: Array<Json & { id: string; dossierId: string }>;
        };
        const task = queue.items.find((item) => item.dossierId === dossierId);
        if (!task) throw new Error('no task yet');
        return task;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  /** Once the dossier service has consumed the dossier's signature.completed. */
  async function signatureRecorded(dossierId: string) {
    await eventually(
      async () => {
        const view = (
          await call(dossier, 'GET', `/dossiers/${dossierId}`, dossierTokens.officer)
        ).json() as Json;
        if (!view.signatureCompleted) throw new Error('signature not recorded yet');
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  async function startSession(taskId: string, pdf: Buffer, token = signingTokens.head!, extra: Json = {}) {
    return call(signing, 'POST', `/signature-tasks/${taskId}/sessions`, token, {
      contentBase64: pdf.toString('base64'),
      ...extra,
    });
  }

  async function eventsFor(topic: string, key: string, until: string): Promise<CloudEvent[]> {
    const records = await readTopicUntil(topic, (all) => {
      if (!all.some((r) => r.key === key && r.headers['ce_type'] === until))
        throw new Error(`no ${until} yet`);
    });
    return eventsOf(records.filter((r) => r.key === key));
  }

  it('signs a resolved result, records it on the dossier, returns it, and lets the citizen download it', async () => {
    const result = await resolvedWithResult('signed and returned');
    const task = await taskOf(result.id);
    expect(task).toMatchObject({ dossierCode: result.code, documentSha256: result.sha256, status: 'open' });
    expect(task.dueAt).toEqual(expect.any(String));

    // The unit head opens the document from the dossier service and starts a session with it.
    const opened = await call(dossier, 'GET', `/dossiers/${result.id}/result-document`, dossierTokens.head);
    expect(opened.headers['content-type']).toBe('application/pdf');
    expect(opened.rawPayload.equals(result.pdf)).toBe(true);
    const early = await call(dossier, 'POST', `/dossiers/${result.id}/return-result`, dossierTokens.officer, {
      expectedVersion: 3,
    });
    expect(early.statusCode).toBe(409);

    const session = await startSession(task.id, opened.rawPayload);
    expect(session.statusCode).toBe(201);
    const { signatureId } = session.json() as { signatureId: string };
    const confirmed = await call(
      signing,
      'POST',
      `/signing-sessions/${signatureId}/confirm`,
      signingTokens.head,
      {
        code: await freshCode('head'),
      },
    );
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'completed', certificateId: certificates.head });
    const signedSha256 = (confirmed.json() as { signedDocumentSha256: string }).signedDocumentSha256;

    // The signed PDF goes to the dossier service through the client; it keeps only those exact bytes.
    const signed = await call(
      signing,
      'GET',
      `/signing-sessions/${signatureId}/signed-document`,
      signingTokens.head,
    );
    expect(createHash('sha256').update(signed.rawPayload).digest('hex')).toBe(signedSha256);
    const tampered = Buffer.concat([signed.rawPayload, Buffer.from('\n%tampered\n')]);
    await signatureRecorded(result.id);
    const wrongBytes = await call(
      dossier,
      'POST',
      `/dossiers/${result.id}/signed-result`,
      dossierTokens.head,
      {
        contentBase64: tampered.toString('base64'),
      },
    );
    expect(wrongBytes.statusCode).toBe(400);
    expect(
      (
        await call(dossier, 'POST', `/dossiers/${result.id}/return-result`, dossierTokens.officer, {
          expectedVersion: 3,
        })
      ).json(),
    ).toMatchObject({
      type: 'urn:backbone:problem:dossier-signed-result-missing',
    });
    const stored = await call(dossier, 'POST', `/dossiers/${result.id}/signed-result`, dossierTokens.head, {
      contentBase64: signed.rawPayload.toString('base64'),
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ signedResult: { sha256: signedSha256, stored: true } });
    const returned = await call(
      dossier,
      'POST',
      `/dossiers/${result.id}/return-result`,
      dossierTokens.officer,
      {
        expectedVersion: 3,
      },
    );
    expect(returned.statusCode).toBe(200);

    const download = await call(
      dossier,
      'GET',
      `/public/dossiers/signed-result?code=${result.code}&nationalId=${NATIONAL_ID}`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(signed.rawPayload)).toBe(true);
    expect(
      (
        await call(
          dossier,
          'GET',
          `/public/dossiers/signed-result?code=${result.code}&nationalId=079188054321`,
        )
      ).statusCode,
    ).toBe(404);

    // The choreography, in order: received → resolved → signature requested → completed → returned.
    const dossierEvents = await eventsFor(
      dossier.config.DOSSIER_EVENTS_TOPIC,
      result.id,
      'dossier.result-returned.v1',
    );
    const signingEvents = await eventsFor(
      signing.config.SIGNING_EVENTS_TOPIC,
      signatureId,
      'signature.completed.v1',
    );
    const choreography = [...dossierEvents, ...signingEvents].sort(
      (a, b) => Date.parse(a.time) - Date.parse(b.time) || a.sequence - b.sequence,
    );
    expect(choreography.map((e) => e.type)).toEqual([
      'dossier.received.v1',
      'dossier.processing-started.v1',
      'dossier.resolved.v1',
      'signature.requested.v1',
      'signature.completed.v1',
      'dossier.result-returned.v1',
    ]);
    const [resolved, requested, completed, returnedEvent] = [
      choreography[2]!,
      choreography[3]!,
      choreography[4]!,
      choreography[5]!,
    ];
    expect(resolved.data).toMatchObject({ requiresSignature: true, resultDocumentSha256: result.sha256 });
    expect(requested.data).toMatchObject({
      signatureId,
      signerId: HEAD,
      documentSha256: result.sha256,
      reference: { kind: 'dossier-result', id: result.id, code: result.code },
    });
    expect(completed.data).toMatchObject({
      documentSha256: result.sha256,
      producedDocumentSha256: signedSha256,
      signerId: HEAD,
      format: 'PAdES',
    });
    expect(returnedEvent.data).toMatchObject({ signatureId });
    // Hashes and ids only: no document bytes, no applicant on either topic.
    for (const event of choreography) {
      const raw = JSON.stringify(event);
      expect(raw).not.toContain(NATIONAL_ID);
      expect(raw).not.toContain(result.pdf.toString('base64').slice(0, 40));
      expect(raw.length).toBeLessThan(4_000);
    }
    const closedTask = (await call(signing, 'GET', `/signature-tasks/${task.id}`, signingTokens.head)).json();
    expect(closedTask).toMatchObject({ status: 'signed', signatureId });
  });

  it('refuses a wrong or replayed code, another signer and another key, and signs nothing', async () => {
    const result = await resolvedWithResult('refusals');
    const task = await taskOf(result.id);
    // Another unit's head does not see the task; the document must be the task's.
    expect((await startSession(task.id, result.pdf, signingTokens.otherHead)).statusCode).toBe(404);
    const wrongDocument = await startSession(task.id, resultPdf(['another document']));
    expect(wrongDocument.statusCode).toBe(400);
    expect(wrongDocument.json()).toMatchObject({
      errors: [expect.objectContaining({ field: 'contentBase64' })],
    });
    // A signer signs only with their own key: the deputy naming the head's certificate is refused.
    const othersKey = await startSession(task.id, result.pdf, signingTokens.deputy, {
      certificateId: certificates.head,
    });
    expect(othersKey.statusCode).toBe(403);
    expect(othersKey.json()).toMatchObject({ type: 'urn:backbone:problem:signing:certificate-not-owned' });

    const session = await startSession(task.id, result.pdf);
    expect(session.statusCode).toBe(201);
    const { signatureId } = session.json() as { signatureId: string };
    expect((await startSession(task.id, result.pdf)).statusCode).toBe(409);
    // Only the signer who started it confirms it, even with their own valid code.
    const byDeputy = await call(
      signing,
      'POST',
      `/signing-sessions/${signatureId}/confirm`,
      signingTokens.deputy,
      {
        code: await freshCode('deputy'),
      },
    );
    expect(byDeputy.statusCode).toBe(403);
    const current = totpAt(secrets.head!, new Date());
    const wrong = String((Number(current) + 500_000) % 1_000_000).padStart(6, '0');
    const wrongCode = await call(
      signing,
      'POST',
      `/signing-sessions/${signatureId}/confirm`,
      signingTokens.head,
      { code: wrong },
    );
    expect(wrongCode.statusCode).toBe(403);
    expect(wrongCode.json()).toMatchObject({ type: 'urn:backbone:problem:signing:second-factor-refused' });
    // The code of a step already used (the last confirmation's, or the activation's) is a replay.
    const replayedStep = lastStep.head!;
    const replayed = await call(
      signing,
      'POST',
      `/signing-sessions/${signatureId}/confirm`,
      signingTokens.head,
      {
        code: totpAt(secrets.head!, new Date(replayedStep * TOTP_STEP_SECONDS * 1000)),
      },
    );
    expect(replayed.statusCode).toBe(403);
    expect(replayed.json()).toMatchObject({ detail: expect.stringMatching(/already used/) });
    const view = (await call(signing, 'GET', `/signing-sessions/${signatureId}`, signingTokens.head)).json();
    expect(view).toMatchObject({ status: 'pending', signedDocumentSha256: null });
    expect(
      (await call(signing, 'GET', `/signing-sessions/${signatureId}/signed-document`, signingTokens.head))
        .statusCode,
    ).toBe(404);
    // Then the signer declines: the dossier goes back to processing with the reason.
    const rejected = await call(
      signing,
      'POST',
      `/signing-sessions/${signatureId}/reject`,
      signingTokens.head,
      {
        reason: 'Sai ngày sinh trong trích lục',
      },
    );
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: 'Sai ngày sinh trong trích lục' });
    const back = await eventually(
      async () => {
        const current = (
          await call(dossier, 'GET', `/dossiers/${result.id}`, dossierTokens.officer)
        ).json() as Json;
        if (current.status !== 'processing') throw new Error(`still ${String(current.status)}`);
        return current as Json & { history: Array<Json> };
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(back).toMatchObject({ resultDocumentSha256: null, signatureCompleted: false });
    const events = await eventsFor(
      dossier.config.DOSSIER_EVENTS_TOPIC,
      result.id,
      'dossier.result-rejected.v1',
    );
    expect(events.map((e) => e.type).slice(-2)).toEqual([
      'dossier.resolved.v1',
      'dossier.result-rejected.v1',
    ]);
    expect(events.at(-1)!.data).toMatchObject({ signatureId, reason: 'Sai ngày sinh trong trích lục' });
    const signingEvents = await eventsFor(
      signing.config.SIGNING_EVENTS_TOPIC,
      signatureId,
      'signature.rejected.v1',
    );
    expect(signingEvents.map((e) => e.type)).toEqual(['signature.requested.v1', 'signature.rejected.v1']);
    expect(
      (await call(signing, 'GET', `/signature-tasks/${task.id}`, signingTokens.head)).json(),
    ).toMatchObject({
      status: 'rejected',
    });
  });

  it('times a session out exactly once with two scanners racing; the task stays open and is signed later', async () => {
    const result = await resolvedWithResult('timed out first');
    const task = await taskOf(result.id);
    const session = await startSession(task.id, result.pdf);
    const { signatureId, expiresAt } = session.json() as { signatureId: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(TIMEOUT_SECONDS * 1000);
    // A second instance's scanner on the same database, racing the app's own.
    const other = new SessionTimeoutScanner(
      signing.app.get(DataSource),
      signing.app.get(AuditTrail),
      signing.config,
    );
    // Both race the app's own scanner (every 250 ms) from the moment the session is due.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now())));
    await Promise.all([other.scan(), other.scan(), other.scan()]);
    const late = await call(signing, 'POST', `/signing-sessions/${signatureId}/confirm`, signingTokens.head, {
      code: await freshCode('head'),
    });
    expect(late.statusCode).toBe(409);
    const records = await readTopicUntil(signing.config.SIGNING_EVENTS_TOPIC, (all) => {
      if (!all.some((r) => r.key === signatureId && r.headers['ce_type'] === 'signature.timed-out.v1'))
        throw new Error('no timeout yet');
    });
    // Let the app's scanner run a few more passes: still one timeout.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const again = await readTopicUntil(signing.config.SIGNING_EVENTS_TOPIC, (all) => {
      if (all.length < records.length) throw new Error('not caught up');
    });
    expect(eventsOf(again.filter((r) => r.key === signatureId)).map((e) => e.type)).toEqual([
      'signature.requested.v1',
      'signature.timed-out.v1',
    ]);
    expect(
      (await call(dossier, 'GET', `/dossiers/${result.id}`, dossierTokens.officer)).json(),
    ).toMatchObject({
      status: 'resolved',
      signatureCompleted: false,
    });
    // The request is void and may be made again: a new session on the same task completes.
    const retry = await startSession(task.id, result.pdf);
    expect(retry.statusCode).toBe(201);
    const confirmed = await call(
      signing,
      'POST',
      `/signing-sessions/${(retry.json() as { signatureId: string }).signatureId}/confirm`,
      signingTokens.head,
      { code: await freshCode('head') },
    );
    expect(confirmed.json()).toMatchObject({ status: 'completed' });
  });

  it("signs a signer's queue with one code, all or none, and finds a dossier's task by its id", async () => {
    const results = [
      await resolvedWithResult('batch 1'),
      await resolvedWithResult('batch 2'),
      await resolvedWithResult('batch 3'),
      await resolvedWithResult(Array.from({ length: 1_000 }, (_, i) => `long result line ${i}`).join(' ')),
    ];
    const byDossier = await call(
      signing,
      'GET',
      `/signature-tasks?dossierId=${results[0]!.id}`,
      signingTokens.head,
    );
    expect(byDossier.statusCode).toBe(200);
    expect((byDossier.json() as { items: Json[] }).items).toEqual([
      expect.objectContaining({ dossierId: results[0]!.id, dossierCode: results[0]!.code }),
    ]);
    const badFilter = await call(
      signing,
      'GET',
      '/signature-tasks?dossierId=1%27%20OR%201=1',
      signingTokens.head,
    );
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'dossierId' })] });

    // This run's sessions time out after 15 s: the code that signs them is at hand before they start.
    let code = await freshCode('head');
    while (lastStep.head! < stepOf(new Date())) code = await freshCode('head');
    const ids: string[] = [];
    for (const result of results) {
      const task = await taskOf(result.id);
      const session = await startSession(task.id, result.pdf);
      expect(session.statusCode).toBe(201);
      ids.push((session.json() as { signatureId: string }).signatureId);
    }
    const [first, second, third, long] = ids as [string, string, string, string];
    const confirmations = (body: unknown) =>
      call(signing, 'POST', '/signing-sessions/confirmations', signingTokens.head, body);
    const pendingAll = async (sessionIds: string[]) => {
      for (const id of sessionIds) {
        const view = (await call(signing, 'GET', `/signing-sessions/${id}`, signingTokens.head)).json();
        expect(view).toMatchObject({ status: 'pending', signedDocumentSha256: null });
      }
    };

    // Bounded and checked before anything is read: count, duplicates, ids, the code.
    for (const [body, field] of [
      [{ sessionIds: [], code: '123456' }, 'sessionIds'],
      [{ sessionIds: Array.from({ length: 51 }, () => first), code: '123456' }, 'sessionIds'],
      [{ sessionIds: [first, first], code: '123456' }, 'sessionIds'],
      [{ sessionIds: [first, 'not-a-session'], code: '123456' }, 'sessionIds'],
      [{ sessionIds: 'x'.repeat(100_000), code: '123456' }, 'sessionIds'],
      [{ sessionIds: [first], code: '12345' }, 'code'],
    ] as const) {
      const refused = await confirmations(body);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        errors: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    // The documents together are bounded too (SIGNING_CONFIRMATION_MAX_BYTES): the long one crosses it.
    const tooLarge = await confirmations({ sessionIds: ids, code: '123456' });
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json()).toMatchObject({
      errors: [
        expect.objectContaining({ field: 'sessionIds', reason: expect.stringMatching(/smaller batches/) }),
      ],
    });
    // One session that is not the caller's (here: none at all) and nothing is signed.
    const unknown = await confirmations({
      sessionIds: [first, second, '0198a000-0000-7000-8000-00000000dead'],
      code: '123456',
    });
    expect(unknown.statusCode).toBe(404);
    const byDeputy = await call(signing, 'POST', '/signing-sessions/confirmations', signingTokens.deputy, {
      sessionIds: [first],
      code: '123456',
    });
    expect(byDeputy.statusCode).toBe(403);
    const current = totpAt(secrets.head!, new Date());
    const wrong = await confirmations({
      sessionIds: [first, second, third],
      code: String((Number(current) + 500_000) % 1_000_000).padStart(6, '0'),
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ type: 'urn:backbone:problem:signing:second-factor-refused' });
    await pendingAll(ids);

    const signed = await confirmations({ sessionIds: [first, second, third], code });
    expect(signed.statusCode).toBe(200);
    const items = (signed.json() as { items: Array<Json & { signedDocumentSha256: string }> }).items;
    expect(items.map((item) => [item.signatureId, item.status])).toEqual([
      [first, 'completed'],
      [second, 'completed'],
      [third, 'completed'],
    ]);
    expect(new Set(items.map((item) => item.signedDocumentSha256)).size).toBe(3);
    // The step is used: the same code signs nothing more.
    const replayed = await call(signing, 'POST', `/signing-sessions/${long}/confirm`, signingTokens.head, {
      code,
    });
    expect(replayed.statusCode).toBe(403);
    expect(replayed.json()).toMatchObject({ detail: expect.stringMatching(/already used/) });
    await pendingAll([long]);
    // (before it times out: 15 s here)
    const rejected = await call(signing, 'POST', `/signing-sessions/${long}/reject`, signingTokens.head, {
      reason: 'Ket qua qua dai, lam lai',
    });
    expect(rejected.statusCode).toBe(200);
    // Each is its own signature of its own document: the bytes match, the task is closed.
    for (const [index, item] of items.entries()) {
      const pdf = await call(
        signing,
        'GET',
        `/signing-sessions/${item.signatureId}/signed-document`,
        signingTokens.head,
      );
      expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(item.signedDocumentSha256);
      expect(item.documentSha256).toBe(results[index]!.sha256);
      expect(
        (await call(signing, 'GET', `/signature-tasks/${item.taskId as string}`, signingTokens.head)).json(),
      ).toMatchObject({ status: 'signed', signatureId: item.signatureId });
    }
    for (const id of [first, second, third]) {
      const events = await eventsFor(signing.config.SIGNING_EVENTS_TOPIC, id, 'signature.completed.v1');
      expect(events.map((e) => e.type)).toEqual(['signature.requested.v1', 'signature.completed.v1']);
      expect(events[1]!.data).toMatchObject({ signatureId: id, signerId: HEAD });
    }
    // And each dossier records its own signature.
    for (const result of results.slice(0, 3)) await signatureRecorded(result.id);
  });

  it("counts the sagas' outcomes per unit for reporting's reconciliation", async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const admin = await signing.token('0198a000-0000-7000-8000-0000000000ad', ['city-admin'], []);
    const stats = await call(signing, 'GET', `/signing/stats?from=${from}&to=${to}`, admin);
    expect(stats.statusCode).toBe(200);
    expect((stats.json() as { units: unknown[] }).units).toEqual([
      { unitCode: WARD, requested: 8, completed: 5, rejected: 2, timedOut: 1 },
    ]);
    const bad = await call(signing, 'GET', `/signing/stats?from=10000-01-01T00:00:00Z&to=${to}`, admin);
    expect(bad.statusCode).toBe(400);
  });
});
