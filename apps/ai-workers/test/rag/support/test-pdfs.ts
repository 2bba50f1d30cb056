import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';

/** Small PDFs built in the test with pdf-lib, so every parser case is reproducible from code. */

/** One page per entry; each entry is a list of lines drawn top-down in Helvetica 11 pt. */
export async function textPdf(pages: readonly (readonly string[])[], title?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  if (title) doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 50, y: 790 - i * 16, size: 11, font });
    });
  }
  return doc.save({ useObjectStreams: false });
}

/** Pages with nothing on them. */
export async function blankPdf(pageCount: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pageCount; i++) doc.addPage();
  return doc.save();
}

/** A 2x2 grey PNG, as a scanner would produce (minus the size). */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGBgYAAAAAUAAXpeqz8AAAAASUVORK5CYII=',
  'base64',
);

/** A "scanned" document: every page is an image, there is no text layer. */
export async function imageOnlyPdf(pageCount: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(TINY_PNG);
  for (let i = 0; i < pageCount; i++) {
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return doc.save();
}

/**
 * A PDF whose trailer declares the Standard security handler (RC4, revision 2) with a user password:
 * readers must ask for the password before they can decrypt anything, exactly as with a file
 * locked in Acrobat. (The `/U` check value is random, so no password, empty or not, opens it.)
 */
export async function passwordProtectedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText('Confidential lecture notes.', { x: 50, y: 700, size: 12, font });
  const encrypt = doc.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    P: -44,
    O: PDFHexString.of(randomBytes(32).toString('hex')),
    U: PDFHexString.of(randomBytes(32).toString('hex')),
  });
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  return doc.save({ useObjectStreams: false });
}

/** Starts like a PDF, then is garbage: an interrupted upload or a mislabelled file. */
export function corruptPdf(): Uint8Array {
  return new TextEncoder().encode(
    '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R garbage that never ends',
  );
}
