import { type FieldCipher, maskName, maskNationalId, maskPhone } from '@backbone/platform';
import { hasSignedResult, isOverdue } from './dossier-lifecycle';
import type { Dossier } from '../database/dossier.entities';

/** Column names are the additional authenticated data of each ciphertext (a value cannot be moved between columns). */
export const PII_CONTEXT = {
  name: 'dossiers.applicant_name',
  nationalId: 'dossiers.applicant_national_id',
  phone: 'dossiers.applicant_phone',
  address: 'dossiers.applicant_address',
} as const;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** The applicant's values in clear, when the caller has them (the intake that just encrypted them). */
export interface ApplicantInClear {
  fullName: string;
  nationalId: string;
  phone?: string | undefined;
}

/**
 * What staff see of a dossier: applicant values masked, dates in UTC, `version` for the next change.
 * The applicant's values are decrypted from the row, unless `inClear` gives the very values the row
 * was just encrypted from.
 */
export function dossierView(
  dossier: Dossier,
  cipher: FieldCipher,
  now = new Date(),
  inClear?: ApplicantInClear,
) {
  const phone = inClear
    ? inClear.phone || null
    : dossier.applicantPhoneCipher
      ? cipher.decrypt(dossier.applicantPhoneCipher, PII_CONTEXT.phone)
      : null;
  return {
    id: dossier.id,
    code: dossier.code,
    unitCode: dossier.unitCode,
    procedure: {
      code: dossier.procedureCode,
      name: dossier.procedureSnapshot.name,
      field: dossier.procedureSnapshot.field,
      level: dossier.procedureSnapshot.level,
      requiresSignature: dossier.procedureSnapshot.requiresSignature,
    },
    channel: dossier.channel,
    onlineLevel: dossier.onlineLevel,
    status: dossier.status,
    version: dossier.version,
    applicant: {
      fullName: maskName(inClear?.fullName ?? cipher.decrypt(dossier.applicantNameCipher, PII_CONTEXT.name)),
      nationalId: maskNationalId(
        inClear?.nationalId ?? cipher.decrypt(dossier.applicantNationalIdCipher, PII_CONTEXT.nationalId),
      ),
      phone: phone ? maskPhone(phone) : null,
    },
    digitised: dossier.digitised,
    submittedAt: iso(dossier.submittedAt),
    receivedAt: iso(dossier.receivedAt),
    dueAt: iso(dossier.dueAt),
    promisedDueAt: iso(dossier.promisedDueAt),
    pausedAt: iso(dossier.pausedAt),
    pausedWorkingMinutes: dossier.pausedWorkingMinutes,
    resolvedAt: iso(dossier.resolvedAt),
    returnedAt: iso(dossier.returnedAt),
    closedAt: iso(dossier.closedAt),
    signatureCompleted: hasSignedResult(dossier),
    resultDocumentSha256: dossier.resultDocumentSha256,
    /** The signed PDF's hash (signature.completed), and whether its bytes are stored for the citizen. */
    signedResult: dossier.signedResultSha256
      ? { sha256: dossier.signedResultSha256, stored: dossier.signedResultStoredAt !== null }
      : null,
    overdue: isOverdue(dossier, now),
  };
}

export type DossierView = ReturnType<typeof dossierView>;
