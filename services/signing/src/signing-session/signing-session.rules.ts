import {
  buildEvent,
  type CloudEvent,
  SignatureCompletedV1,
  SignatureRejectedV1,
  SignatureRequestedV1,
  SignatureTimedOutV1,
  uuidv7,
} from '@backbone/contracts';
import { eventTrace } from '@backbone/platform';
import type { SignatureTask } from '../signature-task/signature-task.entity';
import type { SigningSession } from './signing-session.entity';

/**
 * The remote-signing saga's rules, without I/O (ADR 0012):
 *
 *   start (task open, the signer's unit, their own certificate, the task's document) → pending
 *     signature.requested.v1
 *   pending --confirm with a fresh TOTP code, before expiresAt--> completed   signature.completed.v1
 *   pending --reject with a reason (or too many wrong codes)-->    rejected    signature.rejected.v1
 *   pending --expiresAt passed (the scanner)-->                   timed-out   signature.timed-out.v1
 *
 * Each function decides on the state as read and returns the change (the session as changed and
 * its event) or why not; the handlers write it through the aggregate write path.
 */

export type Refusal = { refused: 'not-pending' | 'expired' | 'not-open'; detail: string };

const reference = (session: Pick<SigningSession, 'dossierId' | 'dossierCode'>) => ({
  kind: 'dossier-result' as const,
  id: session.dossierId,
  code: session.dossierCode,
});

export interface StartSessionInput {
  task: SignatureTask;
  signerId: string;
  certificateId: string;
  document: Buffer;
  visible: boolean;
  now: Date;
  timeoutSeconds: number;
}

/** A new pending session for an open task, and its `signature.requested.v1`. */
export function startSession(
  input: StartSessionInput,
): { session: SigningSession; event: CloudEvent<SignatureRequestedV1> } | Refusal {
  const { task, now } = input;
  if (task.status !== 'open') {
    return { refused: 'not-open', detail: `The task is ${task.status}: there is nothing left to sign` };
  }
  const session: SigningSession = {
    id: uuidv7(),
    taskId: task.id,
    unitCode: task.unitCode,
    dossierId: task.dossierId,
    dossierCode: task.dossierCode,
    signerId: input.signerId,
    certificateId: input.certificateId,
    status: 'pending',
    documentSha256: task.documentSha256,
    document: input.document,
    visible: input.visible,
    requestedAt: now,
    expiresAt: new Date(now.getTime() + input.timeoutSeconds * 1000),
    endedAt: null,
    signedDocument: null,
    signedDocumentSha256: null,
    certificateSerial: null,
    reason: null,
    failedAttempts: 0,
    eventSequence: 1,
  };
  const event = buildEvent(SignatureRequestedV1, {
    ...eventTrace(),
    subject: session.id,
    unitcode: session.unitCode,
    sequence: 1,
    time: now,
    data: {
      signatureId: session.id,
      reference: reference(session),
      documentSha256: session.documentSha256,
      hashAlgorithm: 'SHA-256',
      format: 'PAdES',
      signerId: session.signerId,
      requestedAt: now.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    },
  });
  return { session, event };
}

/** Whether a session can still be confirmed or rejected by its signer now. */
export function openForSigner(session: SigningSession, now: Date): Refusal | undefined {
  if (session.status !== 'pending') {
    return { refused: 'not-pending', detail: `The signing session is ${session.status}` };
  }
  if (now.getTime() >= session.expiresAt.getTime()) {
    return { refused: 'expired', detail: 'The signing session timed out: start a new one' };
  }
  return undefined;
}

/** What the PAdES signer reports about the signature it made. */
export interface MadeSignature {
  signedPdf: Buffer;
  signedDocumentSha256: string;
  certificateSerial: string;
  certificateIssuer: string;
  signatureAlgorithm: string;
  hashAlgorithm: 'SHA-256';
  revocationStatus: 'good';
  signedAt: Date;
}

/** pending → completed with the signature made, and `signature.completed.v1`. */
export function completeSession(
  session: SigningSession,
  signature: MadeSignature,
  now: Date,
): CloudEvent<SignatureCompletedV1> {
  // The envelope's time is when the saga step happened here; signedAt is the signature's own.
  session.status = 'completed';
  // The time the event carries (signedAt): the service's counts and reporting's agree on the day.
  session.endedAt = signature.signedAt;
  session.document = null;
  session.signedDocument = signature.signedPdf;
  session.signedDocumentSha256 = signature.signedDocumentSha256;
  session.certificateSerial = signature.certificateSerial;
  session.eventSequence += 1;
  return buildEvent(SignatureCompletedV1, {
    ...eventTrace(),
    subject: session.id,
    unitcode: session.unitCode,
    sequence: session.eventSequence,
    time: now,
    data: {
      signatureId: session.id,
      reference: reference(session),
      documentSha256: session.documentSha256,
      producedDocumentSha256: signature.signedDocumentSha256,
      hashAlgorithm: signature.hashAlgorithm,
      signatureAlgorithm: signature.signatureAlgorithm,
      format: 'PAdES',
      certificateSerial: signature.certificateSerial,
      certificateIssuer: signature.certificateIssuer,
      signerId: session.signerId,
      revocationStatus: signature.revocationStatus,
      signedAt: signature.signedAt.toISOString(),
    },
  });
}

/** pending → rejected with the reason (the signer's, or the service's), and `signature.rejected.v1`. */
export function rejectSession(
  session: SigningSession,
  reason: string,
  now: Date,
): CloudEvent<SignatureRejectedV1> {
  session.status = 'rejected';
  session.endedAt = now;
  session.document = null;
  session.reason = reason;
  session.eventSequence += 1;
  return buildEvent(SignatureRejectedV1, {
    ...eventTrace(),
    subject: session.id,
    unitcode: session.unitCode,
    sequence: session.eventSequence,
    time: now,
    data: {
      signatureId: session.id,
      reference: reference(session),
      documentSha256: session.documentSha256,
      rejectedAt: now.toISOString(),
      reason,
    },
  });
}

/**
 * pending and past expiresAt → timed-out, and `signature.timed-out.v1`; anything else: null (the
 * session ended meanwhile, or is not due yet), so that a timeout fires at most once.
 */
export function timeOutSession(session: SigningSession, now: Date): CloudEvent<SignatureTimedOutV1> | null {
  if (session.status !== 'pending' || now.getTime() < session.expiresAt.getTime()) return null;
  session.status = 'timed-out';
  session.endedAt = now;
  session.document = null;
  session.eventSequence += 1;
  return buildEvent(SignatureTimedOutV1, {
    subject: session.id,
    unitcode: session.unitCode,
    sequence: session.eventSequence,
    time: now,
    data: {
      signatureId: session.id,
      reference: reference(session),
      requestedAt: session.requestedAt.toISOString(),
      timedOutAt: now.toISOString(),
    },
  });
}
