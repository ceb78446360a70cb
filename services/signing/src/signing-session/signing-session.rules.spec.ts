import { parseEvent, uuidv7 } from '@backbone/contracts';
import type { SignatureTask } from '../signature-task/signature-task.entity';
import {
  completeSession,
  openForSigner,
  rejectSession,
  startSession,
  timeOutSession,
} from './signing-session.rules';

const SHA = 'a'.repeat(64);
const SIGNER = '0198a000-0000-7000-9000-000000000070';
const T0 = new Date('2026-11-30T03:00:00Z');

function aTask(overrides: Partial<SignatureTask> = {}): SignatureTask {
  return {
    id: uuidv7(),
    unitCode: '00070',
    dossierId: uuidv7(),
    dossierCode: '000.00.70.H26-261130-0001',
    procedureCode: '2.000635',
    dueAt: new Date('2026-12-03T10:00:00Z'),
    documentSha256: SHA,
    status: 'open',
    requestedAt: T0,
    signatureId: null,
    closedAt: null,
    sourceEventId: uuidv7(),
    ...overrides,
  };
}

function started(timeoutSeconds = 120) {
  const result = startSession({
    task: aTask(),
    signerId: SIGNER,
    certificateId: uuidv7(),
    document: Buffer.from('%PDF-1.7'),
    visible: false,
    now: T0,
    timeoutSeconds,
  });
  if ('refused' in result) throw new Error(result.detail);
  return result;
}

const roundTrip = (event: unknown) => parseEvent(JSON.stringify(event));

describe('the remote-signing saga', () => {
  it('starts a pending session on an open task, expiring after the timeout, with signature.requested', () => {
    const { session, event } = started(120);
    expect(session).toMatchObject({ status: 'pending', eventSequence: 1, documentSha256: SHA });
    expect(session.expiresAt.toISOString()).toBe('2026-11-30T03:02:00.000Z');
    const parsed = roundTrip(event);
    expect(parsed).toMatchObject({
      type: 'signature.requested.v1',
      subject: session.id,
      sequence: 1,
      unitcode: '00070',
    });
    expect(parsed.data).toMatchObject({ signerId: SIGNER, expiresAt: '2026-11-30T03:02:00.000Z' });
  });

  it('refuses a session on a task that is no longer open', () => {
    const result = startSession({
      task: aTask({ status: 'signed' }),
      signerId: SIGNER,
      certificateId: uuidv7(),
      document: Buffer.alloc(1),
      visible: false,
      now: T0,
      timeoutSeconds: 120,
    });
    expect(result).toMatchObject({ refused: 'not-open' });
  });

  it('lets the signer act only while pending and before the deadline', () => {
    const { session } = started(120);
    expect(openForSigner(session, new Date(T0.getTime() + 119_999))).toBeUndefined();
    expect(openForSigner(session, new Date(T0.getTime() + 120_000))).toMatchObject({ refused: 'expired' });
    session.status = 'completed';
    expect(openForSigner(session, T0)).toMatchObject({ refused: 'not-pending' });
  });

  it('completes with the signature made: hashes of the input and of the signed PDF, the document dropped', () => {
    const { session } = started();
    const signedAt = new Date(T0.getTime() + 30_000);
    const event = completeSession(
      session,
      {
        signedPdf: Buffer.from('%PDF-signed'),
        signedDocumentSha256: 'b'.repeat(64),
        certificateSerial: '4E3F21A09C7D55B1',
        certificateIssuer: 'CN=Hanoi Issuing CA',
        signatureAlgorithm: 'ES256',
        hashAlgorithm: 'SHA-256',
        revocationStatus: 'good',
        signedAt,
      },
      new Date(T0.getTime() + 31_000),
    );
    expect(session).toMatchObject({
      status: 'completed',
      document: null,
      eventSequence: 2,
      endedAt: signedAt,
    });
    expect(roundTrip(event).data).toMatchObject({
      documentSha256: SHA,
      producedDocumentSha256: 'b'.repeat(64),
      reference: { kind: 'dossier-result', id: session.dossierId },
      signedAt: signedAt.toISOString(),
    });
  });

  it('rejects with the reason and the document hash', () => {
    const { session } = started();
    const event = rejectSession(session, 'Sai diện tích', new Date(T0.getTime() + 5_000));
    expect(session).toMatchObject({ status: 'rejected', reason: 'Sai diện tích', document: null });
    expect(roundTrip(event)).toMatchObject({
      type: 'signature.rejected.v1',
      sequence: 2,
      data: { reason: 'Sai diện tích', documentSha256: SHA },
    });
  });

  it('times out once, only when due', () => {
    const { session } = started(120);
    expect(timeOutSession(session, new Date(T0.getTime() + 119_000))).toBeNull();
    const event = timeOutSession(session, new Date(T0.getTime() + 120_000));
    expect(roundTrip(event)).toMatchObject({ type: 'signature.timed-out.v1', sequence: 2 });
    expect(session.status).toBe('timed-out');
    expect(timeOutSession(session, new Date(T0.getTime() + 240_000))).toBeNull();
  });
});
