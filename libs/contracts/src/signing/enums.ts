/** What a signature is over: a dossier's result document, or any other document. */
export const SIGNATURE_REFERENCE_KINDS = ['dossier-result', 'document'] as const;
export type SignatureReferenceKind = (typeof SIGNATURE_REFERENCE_KINDS)[number];

/** Digest algorithm used inside the signature. */
export const HASH_ALGORITHMS = ['SHA-256', 'SHA-384', 'SHA-512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** PAdES for PDF, XAdES for XML, JWS (RFC 7515) for JSON, CAdES for anything else. */
export const SIGNATURE_FORMATS = ['PAdES', 'XAdES', 'JWS', 'CAdES'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];

/** Revocation state of the signer's certificate checked at signing time (OCSP/CRL). */
export const REVOCATION_STATUSES = ['good', 'unknown'] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];

/** CRLReason names of RFC 5280 §5.3.1. */
export const CERTIFICATE_REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type CertificateRevocationReason = (typeof CERTIFICATE_REVOCATION_REASONS)[number];
