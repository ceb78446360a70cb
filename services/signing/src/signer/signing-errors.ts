import { HttpStatus } from '@nestjs/common';
import { TypedProblemException } from '@backbone/platform';

/**
 * The refusals of the signing facade. Each is a problem+json with its own `type`, so a caller (the
 * signing-session saga, an HTTP client) can tell them apart; nothing is signed and nothing stored when
 * one is thrown.
 */
export class SigningRefusedError extends TypedProblemException {
  constructor(problem: string, status: HttpStatus, detail: string) {
    super(`urn:backbone:problem:signing:${problem}`, status, detail);
  }
}

/** The bytes are not a PDF (PAdES signs PDF only; CAdES signs anything). */
export class NotAPdfError extends SigningRefusedError {
  constructor(detail = 'The document is not a PDF (it does not start with %PDF- or cannot be parsed)') {
    super('not-a-pdf', HttpStatus.UNPROCESSABLE_ENTITY, detail);
  }
}

/** An empty document: there is nothing to sign. */
export class EmptyDocumentError extends SigningRefusedError {
  constructor() {
    super('empty-document', HttpStatus.BAD_REQUEST, 'The document is empty');
  }
}

/** Larger than SIGNING_MAX_DOCUMENT_BYTES. */
export class DocumentTooLargeError extends SigningRefusedError {
  constructor(maxBytes: number) {
    super(
      'document-too-large',
      HttpStatus.PAYLOAD_TOO_LARGE,
      `The document is larger than ${maxBytes} bytes`,
    );
  }
}

/** An encrypted PDF cannot be signed without first being decrypted by its owner. */
export class EncryptedPdfError extends SigningRefusedError {
  constructor() {
    super('encrypted-pdf', HttpStatus.UNPROCESSABLE_ENTITY, 'The PDF is encrypted; sign a decrypted copy');
  }
}

/** The signer has no valid certificate for the unit (none issued, all revoked or expired). */
export class NoActiveCertificateError extends SigningRefusedError {
  constructor(unitCode: string) {
    super(
      'no-active-certificate',
      HttpStatus.CONFLICT,
      `The signer has no valid signing certificate for unit ${unitCode}`,
    );
  }
}

/** The certificate was revoked: no new signature may be made with it. */
export class CertificateRevokedError extends SigningRefusedError {
  constructor(serial: string) {
    super('certificate-revoked', HttpStatus.CONFLICT, `Certificate ${serial} is revoked`);
  }
}

/** The certificate is outside its validity period (expired, or not yet valid). */
export class CertificateExpiredError extends SigningRefusedError {
  constructor(serial: string) {
    super(
      'certificate-expired',
      HttpStatus.CONFLICT,
      `Certificate ${serial} is not valid now (expired or not yet valid)`,
    );
  }
}

/** The certificate (and its key) belongs to someone else, or to another unit. */
export class CertificateNotOwnedError extends SigningRefusedError {
  constructor() {
    super(
      'certificate-not-owned',
      HttpStatus.FORBIDDEN,
      "A signer may sign only with their own certificate, issued for the document's unit",
    );
  }
}

/** No certificate with that id (or not visible to the caller). */
export class CertificateNotFoundError extends SigningRefusedError {
  constructor(certificateId: string) {
    super('certificate-not-found', HttpStatus.NOT_FOUND, `No certificate ${certificateId}`);
  }
}
