import { createHash } from 'node:crypto';
import { readResultPdf } from './result-pdf';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('readResultPdf', () => {
  it('hashes the decoded bytes of a PDF', () => {
    const read = readResultPdf(pdf.toString('base64'), 1_000);
    expect(read).toEqual({ bytes: pdf, sha256: createHash('sha256').update(pdf).digest('hex') });
  });

  it('refuses what is not a PDF, and a PDF over the limit before decoding it', () => {
    expect(readResultPdf(Buffer.from('PK\u0003\u0004 a zip file').toString('base64'), 1_000)).toEqual({
      refused: 'must be a PDF document (%PDF- header)',
    });
    expect(readResultPdf(pdf.toString('base64'), pdf.length - 1)).toEqual({
      refused: `must be at most ${pdf.length - 1} bytes once decoded`,
    });
    expect(readResultPdf(pdf.toString('base64'), pdf.length)).toHaveProperty('sha256');
  });
});
