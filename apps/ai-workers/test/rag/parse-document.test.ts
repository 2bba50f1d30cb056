import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/rag/parse-document.js';
import { DEFAULT_RAG_CONFIG, ragConfig } from '../../src/rag/rag-config.js';
import { PermanentJobError } from '../../src/runtime/errors.js';
import { blankPdf, corruptPdf, imageOnlyPdf, passwordProtectedPdf, textPdf } from './support/test-pdfs.js';

const limits = DEFAULT_RAG_CONFIG.limits;

async function failure(promise: Promise<unknown>): Promise<PermanentJobError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PermanentJobError);
  return error as PermanentJobError;
}

describe('parseDocument: PDF', () => {
  it('extracts the text of a single page', async () => {
    const bytes = await textPdf([
      [
        'Photosynthesis converts light energy into chemical energy.',
        'Chlorophyll absorbs mostly blue and red light.',
      ],
    ]);
    const document = await parseDocument({ bytes, key: 'notes.pdf' }, limits);
    expect(document.format).toBe('pdf');
    expect(document.pageCount).toBe(1);
    expect(document.pages).toEqual([
      {
        pageNumber: 1,
        text: 'Photosynthesis converts light energy into chemical energy.\nChlorophyll absorbs mostly blue and red light.',
      },
    ]);
  });

  it('keeps page numbers across pages and skips pages without text, keeping the title', async () => {
    const bytes = await textPdf(
      [
        ['The water cycle begins with evaporation from oceans.'],
        [],
        ['Condensation forms clouds from water vapour.'],
      ],
      'Earth science notes',
    );
    const document = await parseDocument({ bytes, key: 'uploads/documents/u1/x.pdf' }, limits);
    expect(document.pageCount).toBe(3);
    expect(document.pages.map((page) => page.pageNumber)).toEqual([1, 3]);
    expect(document.pages[1]?.text).toBe('Condensation forms clouds from water vapour.');
    expect(document.title).toBe('Earth science notes');
  });

  it('takes heading-like lines as the outline when the PDF has no bookmarks', async () => {
    const bytes = await textPdf([
      [
        'Cell biology',
        'The nucleus holds the genetic material of the cell.',
        'Organelles',
        'Mitochondria make ATP.',
      ],
      ['Page 2 of 2', 'Ribosomes build proteins from amino acids in the cytoplasm.'],
    ]);
    const document = await parseDocument({ bytes, key: 'cells.pdf' }, limits);
    expect(document.headings).toEqual(['Cell biology', 'Organelles']);
  });

  it('fails an empty (blank pages) PDF with DOCUMENT_EMPTY', async () => {
    const error = await failure(parseDocument({ bytes: await blankPdf(2), key: 'blank.pdf' }, limits));
    expect(error.code).toBe('DOCUMENT_EMPTY');
    expect(error.message).toContain('no extractable text');
  });

  it('fails an image-only (scanned) PDF with DOCUMENT_EMPTY and says why', async () => {
    const error = await failure(parseDocument({ bytes: await imageOnlyPdf(2), key: 'scan.pdf' }, limits));
    expect(error.code).toBe('DOCUMENT_EMPTY');
    expect(error.message).toMatch(/no text layer \(2 of 2 page\(s\) are images only\)/);
  });

  it('fails a password-protected PDF with DOCUMENT_UNREADABLE', async () => {
    const error = await failure(
      parseDocument({ bytes: await passwordProtectedPdf(), key: 'locked.pdf' }, limits),
    );
    expect(error.code).toBe('DOCUMENT_UNREADABLE');
    expect(error.message).toContain('password-protected');
  });

  it('fails a corrupt PDF with DOCUMENT_UNREADABLE', async () => {
    const error = await failure(parseDocument({ bytes: corruptPdf(), key: 'broken.pdf' }, limits));
    expect(error.code).toBe('DOCUMENT_UNREADABLE');
    expect(error.message).toContain('not a readable PDF');
  });

  it('fails a file named .pdf without a PDF header with DOCUMENT_UNREADABLE', async () => {
    const bytes = new TextEncoder().encode('just some text pretending to be a PDF');
    const error = await failure(
      parseDocument({ bytes, key: 'fake.pdf', contentType: 'application/pdf' }, limits),
    );
    expect(error.code).toBe('DOCUMENT_UNREADABLE');
    expect(error.message).toContain('no PDF header');
  });

  it('enforces the page, byte and text limits with DOCUMENT_TOO_LARGE', async () => {
    const pages = [['Page one has a sentence.'], ['Page two has a sentence.'], ['Page three has one.']];
    const bytes = await textPdf(pages);
    const tooManyPages = await failure(
      parseDocument({ bytes, key: 'a.pdf' }, ragConfig({ limits: { maxPages: 2 } }).limits),
    );
    expect(tooManyPages.code).toBe('DOCUMENT_TOO_LARGE');
    expect(tooManyPages.message).toContain('3 pages; at most 2');

    const tooManyBytes = await failure(
      parseDocument({ bytes, key: 'a.pdf' }, ragConfig({ limits: { maxBytes: 100 } }).limits),
    );
    expect(tooManyBytes.code).toBe('DOCUMENT_TOO_LARGE');

    const tooMuchText = await failure(
      parseDocument(
        { bytes, key: 'a.pdf' },
        ragConfig({ limits: { maxTextChars: 30, minTextChars: 1 } }).limits,
      ),
    );
    expect(tooMuchText.code).toBe('DOCUMENT_TOO_LARGE');
    expect(tooMuchText.message).toContain('page 2');
  });
});

describe('parseDocument: text and Markdown', () => {
  const encode = (text: string) => new TextEncoder().encode(text);

  it('reads plain text as page 1, and form feeds as page breaks', async () => {
    const single = await parseDocument(
      { bytes: encode('\uFEFFThe mitochondrion is the powerhouse of the cell. It makes ATP.'), key: 'a.txt' },
      ragConfig({ limits: { minTextChars: 10 } }).limits,
    );
    expect(single.format).toBe('text');
    expect(single.pages).toEqual([
      { pageNumber: 1, text: 'The mitochondrion is the powerhouse of the cell. It makes ATP.' },
    ]);

    const paged = await parseDocument(
      { bytes: encode('First page text here.\fSecond page text here.'), key: 'b.txt' },
      ragConfig({ limits: { minTextChars: 10 } }).limits,
    );
    expect(paged.pages.map((page) => page.pageNumber)).toEqual([1, 2]);
  });

  it('reduces Markdown to prose and keeps its headings as the outline', async () => {
    const markdown = [
      '# Cell biology',
      '',
      'The **nucleus** holds the [genetic material](https://example.org/dna).',
      '',
      '## Organelles',
      '- *Mitochondria* make `ATP`.',
      '- Ribosomes build proteins.',
      '',
      '![diagram of a cell](cell.png)',
    ].join('\n');
    const document = await parseDocument(
      { bytes: encode(markdown), key: 'notes.md' },
      ragConfig({ limits: { minTextChars: 10 } }).limits,
    );
    expect(document.format).toBe('markdown');
    expect(document.headings).toEqual(['Cell biology', 'Organelles']);
    expect(document.title).toBe('Cell biology');
    expect(document.pages[0]?.text).toBe(
      [
        'Cell biology.',
        '',
        'The nucleus holds the genetic material.',
        '',
        'Organelles.',
        'Mitochondria make ATP.',
        'Ribosomes build proteins.',
        '',
        'diagram of a cell',
      ].join('\n'),
    );
  });

  it('rejects text that is not UTF-8, binary content and unsupported types', async () => {
    const latin1 = await failure(
      parseDocument({ bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff]), key: 'a.txt' }, limits),
    );
    expect(latin1.code).toBe('DOCUMENT_UNREADABLE');
    expect(latin1.message).toContain('UTF-8');

    const binary = await failure(parseDocument({ bytes: encode('abc\u0000def'), key: 'a.txt' }, limits));
    expect(binary.message).toContain('binary');

    const docx = await failure(parseDocument({ bytes: encode('PK...'), key: 'essay.docx' }, limits));
    expect(docx.code).toBe('DOCUMENT_UNREADABLE');
    expect(docx.message).toContain('use PDF, plain text or Markdown');
  });

  it('fails empty and near-empty text with DOCUMENT_EMPTY', async () => {
    expect((await failure(parseDocument({ bytes: new Uint8Array(), key: 'a.txt' }, limits))).code).toBe(
      'DOCUMENT_EMPTY',
    );
    expect((await failure(parseDocument({ bytes: encode('  \n\n hi \n'), key: 'a.md' }, limits))).code).toBe(
      'DOCUMENT_EMPTY',
    );
  });
});
