import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';

/**
 * Hostile documents, generated from code so the corpus is reproducible and nothing binary is
 * committed. Each entry is what an attacker (or an unlucky exporter) can upload within the size
 * limits; `expect` is what the flashcard parser must answer: a parsed document, or a fast failure
 * with one of the document codes.
 */
export interface AdversarialDocument {
  readonly name: string;
  readonly key: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly expect: { readonly parses: true } | { readonly code: string };
}

/** A page content stream, Flate-compressed, as a raw PDF stream object. */
function flateStream(doc: PDFDocument, content: Buffer): PDFRawStream {
  const dict = doc.context.obj({ Filter: 'FlateDecode', Length: 0 });
  const compressed = deflateSync(content, { level: 9 });
  dict.set(PDFName.of('Length'), doc.context.obj(compressed.length));
  return PDFRawStream.of(dict, compressed);
}

/**
 * A decompression bomb: one page whose content stream is `mb` MB of drawing operators that
 * compress about 1000:1 (a ~100 KB file), and that PDF.js must inflate and lex in full.
 */
async function decompressionBombPdf(mb: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const ops = Buffer.alloc(mb * 1024 * 1024, '0 0 m 1 1 l S\n');
  const ref = doc.context.register(flateStream(doc, ops));
  page.node.set(PDFName.of('Contents'), ref);
  return doc.save({ useObjectStreams: false });
}

/**
 * Many pages sharing one content stream (one object, referenced by every page): small on disk,
 * but every page makes the parser read the whole stream again.
 */
async function sharedStreamPdf(pages: number, streamMb: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const ops = Buffer.alloc(streamMb * 1024 * 1024, 'BT /F1 1 Tf (a) Tj ET\n');
  const ref = doc.context.register(flateStream(doc, ops));
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.node.set(PDFName.of('Contents'), ref);
    page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  }
  return doc.save({ useObjectStreams: false });
}

const text = (value: string) => new TextEncoder().encode(value);
const PROSE =
  'Photosynthesis converts light energy into chemical energy. Chlorophyll absorbs mostly blue and red light. ';

/**
 * The corpus: PDF bombs, pathological Markdown, huge lines, PDF magic bytes inside text.
 * `bombMb`: decompressed size of the bomb's stream (generating it costs about 30 ms of CPU per MB).
 */
export async function adversarialCorpus(options: { bombMb?: number } = {}): Promise<AdversarialDocument[]> {
  const bombMb = options.bombMb ?? 128;
  return [
    {
      name: `pdf: decompression bomb (${bombMb} MB of operators in one stream)`,
      key: 'uploads/documents/u/bomb.pdf',
      contentType: 'application/pdf',
      bytes: await decompressionBombPdf(bombMb),
      expect: { code: 'DOCUMENT_TOO_COMPLEX' },
    },
    {
      name: 'pdf: 300 pages sharing one 2 MB content stream',
      key: 'uploads/documents/u/shared.pdf',
      contentType: 'application/pdf',
      bytes: await sharedStreamPdf(300, 2),
      expect: { code: 'DOCUMENT_TOO_COMPLEX' },
    },
    {
      name: 'markdown: heading marker followed by 1 MB of spaces',
      key: 'uploads/documents/u/spaces.md',
      contentType: 'text/markdown',
      bytes: text(`# ${' '.repeat(1024 * 1024)}x\n\n${PROSE.repeat(5)}`),
      expect: { parses: true },
    },
    {
      name: 'markdown: 1 MB of unclosed links, images, tags and emphasis',
      key: 'uploads/documents/u/unclosed.md',
      contentType: 'text/markdown',
      bytes: text(`${'![[<a **_~~`'.repeat(80_000)}\n\n${PROSE.repeat(5)}`),
      expect: { parses: true },
    },
    {
      name: 'text: one 5 MB line without a full stop',
      key: 'uploads/documents/u/line.txt',
      contentType: 'text/plain',
      bytes: text('word '.repeat(1024 * 1024)),
      expect: { code: 'DOCUMENT_TOO_LARGE' },
    },
    {
      name: 'text: a 500 KB line of prose',
      key: 'uploads/documents/u/prose.txt',
      contentType: 'text/plain',
      bytes: text(PROSE.repeat(4800)),
      expect: { parses: true },
    },
    {
      name: 'text: mentions %PDF- in its first kilobyte',
      key: 'uploads/documents/u/notes.txt',
      contentType: 'text/plain',
      bytes: text(`Every PDF file begins with the marker %PDF-1.7 on its first line.\n${PROSE.repeat(5)}`),
      expect: { parses: true },
    },
    {
      name: 'markdown: starts with %PDF- (declared as Markdown)',
      key: 'uploads/documents/u/pdf-notes.md',
      contentType: 'text/markdown',
      bytes: text(`%PDF- is the magic number of PDF files.\n\n# Notes\n\n${PROSE.repeat(5)}`),
      expect: { parses: true },
    },
  ];
}
