import { DataSource } from 'typeorm';
import { loadFixture, uuidv7, type CloudEvent } from '@backbone/contracts';
import { toOutgoingMessage } from '@backbone/messaging';
import { eventually } from '@backbone/testing';
import { DossierCreator } from '../src/dossier/create-dossier';
import { ImportDossiersHandler } from '../src/import-dossiers/import-dossiers.handler';
import { ReceiveDossierHandler } from '../src/receive-dossier/receive-dossier.handler';
import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

// The dossier aggregate's rules seen from outside (HTTP and Kafka), issues 10 and 11: a signature
// counts only for the result the dossier was resolved with, a payment is the fee requested, and the
// service holds one DossierCreator (one group-commit batcher).

const WARD = '00070'; // Phường Hoàn Kiếm
const RESIDENCE = '1.004194'; // Đăng ký tạm trú: fee 15,000, no signature
const BIRTH = '1.001193'; // Đăng ký khai sinh: signed result
const SIGNED_EARLY = 'b'.repeat(64);
const RESULT = 'c'.repeat(64);

describe('dossier aggregate rules on the real database and broker', () => {
  let t: DossierTestApp;
  let officer: string;

  beforeAll(async () => {
    t = await startDossierTestApp();
    officer = await t.token('0198a000-0000-7000-8000-0000000000a1', ['officer'], [WARD]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const sql = () => t.app.get(DataSource);
  const post = (url: string, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const get = async (id: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/dossiers/${id}`,
        headers: { authorization: `Bearer ${officer}` },
      })
    ).json();
  const act = (id: string, action: string, version: number, body: Record<string, unknown> = {}) =>
    post(`/dossiers/${id}/${action}`, { expectedVersion: version, ...body });

  /** A dossier received at the desk and in processing (version 2). */
  async function processing(procedureCode: string): Promise<{ id: string; code: string }> {
    const created = await post('/dossiers', {
      unitCode: WARD,
      procedureCode,
      channel: 'direct',
      applicant: { fullName: 'Lê Thị Hoa', nationalId: '001199012345' },
    });
    expect(created.statusCode).toBe(201);
    const dossier = created.json();
    expect((await act(dossier.id, 'start-processing', 1)).statusCode).toBe(200);
    return dossier;
  }

  /** Publishes signature.completed.v1 for the dossier's result and waits until the consumer handled it. */
  async function signatureCompleted(dossier: { id: string; code: string }, documentSha256: string) {
    const fixture = loadFixture('signature.completed.v1') as CloudEvent<Record<string, unknown>>;
    const event = {
      ...fixture,
      id: uuidv7(),
      data: {
        ...fixture.data,
        reference: { kind: 'dossier-result', id: dossier.id, code: dossier.code },
        documentSha256,
      },
    };
    const producer = t.kafka.producer();
    await producer.connect();
    await producer.send([{ topic: t.config.SIGNING_EVENTS_TOPIC, messages: [toOutgoingMessage(event)] }]);
    await producer.disconnect();
    await eventually(
      async () => {
        const rows = await sql().query(`SELECT 1 FROM inbox WHERE event_id = $1`, [event.id]);
        if (rows.length === 0) throw new Error('signature.completed not consumed yet');
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  }

  it('does not record signature.completed before the dossier is resolved, so a result resolved afterwards cannot be returned as signed', async () => {
    const dossier = await processing(BIRTH);
    // The signing service "reports" a signature while there is no result yet.
    await signatureCompleted(dossier, SIGNED_EARLY);
    expect(await get(dossier.id)).toMatchObject({
      status: 'processing',
      version: 2,
      signatureCompleted: false,
    });

    // Resolved with another document: the early signature is not this result's.
    const resolved = await act(dossier.id, 'resolve', 2, { resultDocumentSha256: RESULT });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', signatureCompleted: false });
    const early = await act(dossier.id, 'return-result', 3);
    expect(early.statusCode).toBe(409);
    expect(early.json().type).toBe('urn:backbone:problem:dossier-signature-not-completed');

    // A signature over another document than the result is not recorded either.
    await signatureCompleted(dossier, SIGNED_EARLY);
    expect((await act(dossier.id, 'return-result', 3)).statusCode).toBe(409);

    // The signature of the very result is, and then the result is handed over.
    await signatureCompleted(dossier, RESULT);
    const returned = await act(dossier.id, 'return-result', 3);
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'result-returned', signatureCompleted: true });
  });

  it('clears a signature recorded before the result when the dossier is resolved with another document', async () => {
    const dossier = await processing(BIRTH);
    // What the consumer used to write for a dossier with no result hash yet (dossiers already in
    // that state when the rule was fixed): a signature, over no known result.
    await sql().query(`UPDATE dossiers SET signature_id = $2, signature_completed_at = now() WHERE id = $1`, [
      dossier.id,
      uuidv7(),
    ]);
    expect(await get(dossier.id)).toMatchObject({ status: 'processing', signatureCompleted: false });

    const resolved = await act(dossier.id, 'resolve', 2, { resultDocumentSha256: RESULT });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', signatureCompleted: false });
    const [row] = await sql().query(
      `SELECT signature_id, signature_completed_at, signed_document_sha256 FROM dossiers WHERE id = $1`,
      [dossier.id],
    );
    expect(row).toEqual({ signature_id: null, signature_completed_at: null, signed_document_sha256: null });
    const refused = await act(dossier.id, 'return-result', 3);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().type).toBe('urn:backbone:problem:dossier-signature-not-completed');
  });

  it('refuses a payment of another amount than the fee requested (400 with field and reason) and writes nothing', async () => {
    const dossier = await processing(RESIDENCE);
    const requested = await act(dossier.id, 'request-payment', 2);
    expect(requested.statusCode).toBe(200);
    const counts = async () =>
      (
        await sql().query(
          `SELECT (SELECT count(*) FROM dossier_history WHERE dossier_id = $1)::int AS history,
                  (SELECT count(*) FROM outbox)::int AS outbox,
                  (SELECT count(*) FROM platform_audit_log
                    WHERE target_id = $1::text AND outcome = 'succeeded')::int AS audit`,
          [dossier.id],
        )
      )[0];
    const before = await counts();
    // Each refusal is audited as such (outcome `rejected`); what must not exist is a recorded payment.

    for (const amountVnd of [0, 1, 14_999, 15_001, 1_000_000_000_000]) {
      for (const resolve of [false, true]) {
        const paid = await act(dossier.id, 'record-payment', 3, {
          amountVnd,
          paymentChannel: 'online',
          resolve,
        });
        expect(paid.statusCode).toBe(400);
        expect(paid.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(paid.json().errors).toEqual([
          { field: 'amountVnd', reason: expect.stringContaining('15000') },
        ]);
      }
    }
    expect(await counts()).toEqual(before);
    expect(await get(dossier.id)).toMatchObject({ status: 'awaiting-payment', version: 3 });

    // The fee requested is recorded (given, or by default).
    const paid = await act(dossier.id, 'record-payment', 3, { amountVnd: 15_000, paymentChannel: 'online' });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'processing', version: 4 });
  });

  it('holds one DossierCreator, so intake and import share one group-commit batcher', () => {
    const creator = t.app.get(DossierCreator, { strict: false });
    // The handlers' injected creators are private fields: read here only to compare identities.
    const ofReceive = (
      t.app.get(ReceiveDossierHandler, { strict: false }) as unknown as Record<string, unknown>
    )['dossierCreator'];
    const ofImport = (
      t.app.get(ImportDossiersHandler, { strict: false }) as unknown as Record<string, unknown>
    )['dossierCreator'];
    expect(creator).toBeInstanceOf(DossierCreator);
    // Identity compared as booleans: printing a Nest provider on failure walks the DataSource.
    expect({ receive: ofReceive === creator, import: ofImport === creator }).toEqual({
      receive: true,
      import: true,
    });
  });
});
