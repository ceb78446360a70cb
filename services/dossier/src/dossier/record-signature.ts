import type { Dossier } from '../database/dossier.entities';
import type { DossierChange } from './change-dossier';
import { signatureRecordRefusal } from './dossier-lifecycle';

/** What `signature.completed.v1` reports about a dossier's result. */
export interface CompletedSignature {
  signatureId: string;
  signedAt: Date;
  /** The document that was signed. */
  documentSha256: string;
  /** The document the signing produced (PAdES: the signed PDF), when the signature is embedded. */
  producedDocumentSha256?: string;
}

/**
 * Records the signature of the dossier's result, if the state machine's rule allows it
 * (signatureRecordRefusal: a resolved dossier, the very document it was resolved with). Returns
 * the change to write (no event, no history: the audit record), or why it was not recorded.
 */
export function recordSignature(
  dossier: Dossier,
  signature: CompletedSignature,
): { change: DossierChange } | { refused: string } {
  const refused = signatureRecordRefusal(dossier, signature.documentSha256);
  if (refused) return { refused };
  dossier.signatureId = signature.signatureId;
  dossier.signatureCompletedAt = signature.signedAt;
  dossier.signedDocumentSha256 = signature.documentSha256;
  dossier.signedResultSha256 = signature.producedDocumentSha256 ?? null;
  dossier.signedResultStoredAt = null;
  dossier.updatedAt = new Date();
  return {
    change: {
      events: [],
      audit: {
        action: 'dossier.record-signature',
        actor: { subject: 'signing.events.v1', roles: ['service'], unitCodes: [] },
      },
    },
  };
}
