import {
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  hasSignedResult,
  isDerivedNotice,
  signatureRecordRefusal,
} from './dossier-lifecycle';

const RESULT = 'c'.repeat(64);
const OTHER = 'b'.repeat(64);
const unsigned = { resultDocumentSha256: RESULT, signedDocumentSha256: null, signatureCompletedAt: null };

describe('signatures of a dossier result (issue 11)', () => {
  it('records a signature only for a resolved dossier, over the result it was resolved with', () => {
    expect(signatureRecordRefusal({ status: 'resolved', ...unsigned }, RESULT)).toBeUndefined();
    expect(signatureRecordRefusal({ status: 'resolved', ...unsigned }, OTHER)).toMatch(/not the result/);
    for (const status of DOSSIER_STATUSES.filter((s) => s !== 'resolved')) {
      expect(signatureRecordRefusal({ status, ...unsigned }, RESULT)).toMatch(
        /only the result of a resolved/,
      );
    }
    // No result yet: nothing to sign, whatever document the signing service names.
    const noResult = { status: 'processing' as const, ...unsigned, resultDocumentSha256: null };
    expect(signatureRecordRefusal(noResult, RESULT)).toBeDefined();
  });

  it('counts a signature only while it is over the current result', () => {
    const signedAt = new Date('2026-03-05T03:00:00Z');
    expect(
      hasSignedResult({ ...unsigned, signedDocumentSha256: RESULT, signatureCompletedAt: signedAt }),
    ).toBe(true);
    expect(
      hasSignedResult({ ...unsigned, signedDocumentSha256: OTHER, signatureCompletedAt: signedAt }),
    ).toBe(false);
    // Recorded before the signed document was kept (or before there was a result): does not count.
    expect(hasSignedResult({ ...unsigned, signatureCompletedAt: signedAt })).toBe(false);
    expect(
      hasSignedResult({
        resultDocumentSha256: null,
        signedDocumentSha256: null,
        signatureCompletedAt: signedAt,
      }),
    ).toBe(false);
    expect(hasSignedResult(unsigned)).toBe(false);
    expect(
      signatureRecordRefusal(
        { status: 'resolved', ...unsigned, signedDocumentSha256: RESULT, signatureCompletedAt: signedAt },
        RESULT,
      ),
    ).toMatch(/already recorded/);
  });

  it('treats only report-overdue as a derived notice (no version, no history)', () => {
    expect(DOSSIER_ACTIONS.filter(isDerivedNotice)).toEqual(['report-overdue']);
  });
});
