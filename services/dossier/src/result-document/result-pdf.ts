import { createHash } from 'node:crypto';

/** A result document as received: its bytes and their SHA-256 (the hash the dossier is resolved with). */
export interface ResultPdf {
  bytes: Buffer;
  sha256: string;
}

/**
 * The PDF in a request's base64 field, or why it is refused (a reason for a 400 on that field):
 * empty, larger than `maxBytes`, or not a PDF (no `%PDF-` header). The digest is over the decoded
 * bytes, so the same file always gets the same hash whichever client encoded it.
 */
export function readResultPdf(contentBase64: string, maxBytes: number): ResultPdf | { refused: string } {
  // Decoded size from the length before decoding: a too-large upload is refused without allocating it.
  const padding = contentBase64.endsWith('==') ? 2 : contentBase64.endsWith('=') ? 1 : 0;
  const decodedLength = (contentBase64.length / 4) * 3 - padding;
  if (decodedLength > maxBytes) return { refused: `must be at most ${maxBytes} bytes once decoded` };
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length === 0) return { refused: 'must not be empty' };
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    return { refused: 'must be a PDF document (%PDF- header)' };
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
