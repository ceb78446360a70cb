import type { SigningSession } from './signing-session.entity';

/** What a client sees of a signing session (never the document bytes: those have their own route). */
export function sessionView(session: SigningSession) {
  return {
    signatureId: session.id,
    taskId: session.taskId,
    unitCode: session.unitCode,
    dossierId: session.dossierId,
    dossierCode: session.dossierCode,
    signerId: session.signerId,
    certificateId: session.certificateId,
    status: session.status,
    documentSha256: session.documentSha256,
    requestedAt: session.requestedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    endedAt: session.endedAt ? session.endedAt.toISOString() : null,
    signedDocumentSha256: session.signedDocumentSha256,
    certificateSerial: session.certificateSerial,
    reason: session.reason,
  };
}

export type SigningSessionView = ReturnType<typeof sessionView>;
