import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/** A one-page result document, as a specialist would upload it. */
export async function aResultPdf(
  text = 'Ket qua giai quyet ho so 000.00.70.H26-260701-0001',
): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  const font = await document.embedFont(StandardFonts.Helvetica);
  page.drawText(text, { x: 72, y: 760, size: 12, font });
  page.drawText('UBND Phuong Hoan Kiem', { x: 72, y: 740, size: 10, font });
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/**
 * A PDF whose trailer names an /Encrypt dictionary (the Standard security handler, RC4 40-bit, as
 * an "owner password" PDF has): what readers and this service recognise as an encrypted PDF.
 */
export async function anEncryptedPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]);
  const encrypt = document.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    O: PDFHexString.of('00'.repeat(32)),
    U: PDFHexString.of('00'.repeat(32)),
    P: -44,
  });
  document.context.trailerInfo.Encrypt = document.context.register(encrypt);
  const bytes = Buffer.from(await document.save({ useObjectStreams: false }));
  if (!bytes.includes('/Encrypt')) throw new Error('the test PDF lost its /Encrypt entry');
  void PDFName;
  return bytes;
}

/** The same PDF with one byte changed inside the signed range: the page grows from 595 to 596 points. */
export function alteredAfterSigning(signedPdf: Buffer): Buffer {
  const altered = Buffer.from(signedPdf);
  const at = altered.indexOf('/MediaBox [ 0 0 595 842 ]');
  if (at === -1) throw new Error('the page size to alter is not in the PDF');
  altered[at + '/MediaBox [ 0 0 59'.length] = '6'.charCodeAt(0);
  return altered;
}
