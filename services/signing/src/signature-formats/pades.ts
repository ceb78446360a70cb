import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { EncryptedPdfError, NotAPdfError, SigningRefusedError } from '../signer/signing-errors';
import { HttpStatus } from '@nestjs/common';

/** Room for the CMS in /Contents (bytes): signer and CA certificates, the timestamp token with its own. */
const SIGNATURE_PLACEHOLDER_BYTES = 8192;

export interface PadesAppearance {
  /** Draw a stamp on the first page (a visible signature); otherwise the widget has no area. */
  visible: boolean;
  /** The signer's name as in the certificate (the /Name entry and the stamp). */
  signerName: string;
  unitCode: string;
  reason?: string;
  location?: string;
  /** The claimed signing time: /M of the signature dictionary (PAdES puts no signing-time attribute in the CMS). */
  signingTime: Date;
}

/**
 * Checks that the bytes are a PDF this service may sign: a PDF header, parseable, not encrypted, and
 * not already signed (this service rewrites the file when it adds the signature field, which would
 * break an earlier signature; counter-signing by incremental update is not offered).
 */
export async function loadSignablePdf(pdf: Buffer): Promise<PDFDocument> {
  const header = pdf.subarray(0, 1024).indexOf('%PDF-');
  if (header === -1) throw new NotAPdfError();
  let document: PDFDocument;
  try {
    // Loaded even when encrypted, to say so (pdf-lib's own refusal is a plain Error).
    document = await PDFDocument.load(pdf, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
  } catch {
    throw new NotAPdfError('The PDF cannot be parsed');
  }
  if (document.isEncrypted) throw new EncryptedPdfError();
  if (document.getPageCount() === 0) throw new NotAPdfError('The PDF has no page');
  if (pdf.includes('/ByteRange')) {
    throw new SigningRefusedError(
      'already-signed',
      HttpStatus.UNPROCESSABLE_ENTITY,
      'The PDF already carries a signature; this service signs unsigned documents only',
    );
  }
  return document;
}

/**
 * PAdES B-T (ETSI EN 319 142-1) with @signpdf: a signature field with SubFilter ETSI.CAdES.detached
 * and a /ByteRange placeholder is added (pdf-lib), then `cms` receives the bytes the signature covers
 * (the whole file except /Contents) and returns the CMS SignedData to embed.
 */
export async function signPdfAsPades(
  document: PDFDocument,
  appearance: PadesAppearance,
  cms: (coveredBytes: Buffer) => Promise<Buffer>,
): Promise<Buffer> {
  const page = document.getPage(0);
  let widgetRect = [0, 0, 0, 0];
  if (appearance.visible) widgetRect = await drawStamp(document, appearance);
  pdflibAddPlaceholder({
    pdfPage: page,
    reason: appearance.reason ?? '',
    contactInfo: '',
    name: appearance.signerName,
    location: appearance.location ?? '',
    signingTime: appearance.signingTime,
    signatureLength: SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect,
    appName: 'two-tier-backbone signing service',
  });
  const prepared = Buffer.from(
    await document.save({ useObjectStreams: false, updateFieldAppearances: false }),
  );
  return new SignPdf().sign(prepared, new CallbackSigner(cms), appearance.signingTime);
}

class CallbackSigner extends Signer {
  constructor(private readonly produce: (coveredBytes: Buffer) => Promise<Buffer>) {
    super();
  }

  override sign(pdfBuffer: Buffer): Promise<Buffer> {
    return this.produce(pdfBuffer);
  }
}

/** The visible stamp, bottom left of the first page; returns its rectangle for the widget. */
async function drawStamp(document: PDFDocument, appearance: PadesAppearance): Promise<number[]> {
  const page = document.getPage(0);
  const font = await document.embedFont(StandardFonts.Helvetica);
  const [x, y, width, height] = [36, 36, 300, 64];
  page.drawRectangle({ x, y, width, height, borderColor: rgb(0.75, 0.1, 0.1), borderWidth: 1 });
  const lines = [
    `Digitally signed by: ${latin(appearance.signerName)}`,
    `Unit: ${appearance.unitCode}`,
    `Date: ${appearance.signingTime.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    ...(appearance.reason ? [`Reason: ${latin(appearance.reason)}`] : []),
  ];
  lines.forEach((line, index) =>
    page.drawText(line.slice(0, 70), {
      x: x + 6,
      y: y + height - 14 - index * 12,
      size: 9,
      font,
      color: rgb(0.75, 0.1, 0.1),
    }),
  );
  return [x, y, x + width, y + height];
}

/** The standard fonts encode WinAnsi only: Vietnamese letters lose their marks on the stamp. */
export function latin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?');
}
