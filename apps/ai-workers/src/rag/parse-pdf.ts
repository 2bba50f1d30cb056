import { getResolvedPDFJS } from 'unpdf';
import { PermanentJobError } from '../runtime/errors.js';
import { headingLines } from './heading-lines.js';
import type { PageText, ParsedDocument } from './parsed-document.js';
import type { DocumentLimits } from './rag-config.js';

type PdfDocument = Awaited<
  ReturnType<Awaited<ReturnType<typeof getResolvedPDFJS>>['getDocument']>['promise']
>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/**
 * Extracts the text of a PDF page by page with PDF.js (through unpdf's serverless build, which needs
 * no canvas or DOM and bundles for Lambda). Page numbers are kept so cards can cite them.
 *
 * Failures are permanent, because retrying cannot change the file:
 * - password-protected, malformed or truncated files -> DOCUMENT_UNREADABLE;
 * - more pages or text than the limits allow -> DOCUMENT_TOO_LARGE;
 * - no text layer at all (blank, or scanned images without OCR) -> DOCUMENT_EMPTY.
 */
export async function parsePdf(bytes: Uint8Array, limits: DocumentLimits): Promise<ParsedDocument> {
  const { getDocument } = await getResolvedPDFJS();
  // A copy: PDF.js may transfer (detach) the buffer it is given, and the caller still hashes it.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  let pdf: PdfDocument;
  try {
    pdf = await task.promise;
  } catch (error) {
    // A failed load (a password prompt in particular) keeps the task alive; free it, since a warm
    // container parses many documents.
    await task.destroy().catch(() => undefined);
    throw unreadable(error);
  }

  try {
    if (pdf.numPages > limits.maxPages) {
      throw new PermanentJobError(
        'DOCUMENT_TOO_LARGE',
        `The PDF has ${pdf.numPages} pages; at most ${limits.maxPages} are accepted`,
        { pages: pdf.numPages, maxPages: limits.maxPages },
      );
    }

    const pages: PageText[] = [];
    let totalChars = 0;
    let pagesWithImages = 0;
    const items = { left: limits.maxTextItems ?? Number.POSITIVE_INFINITY };
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const page = await loadPage(pdf, pageNumber);
      const text = await pageText(page, pageNumber, items);
      if (text.length > 0) {
        pages.push({ pageNumber, text });
        totalChars += text.length;
        if (totalChars > limits.maxTextChars) {
          throw new PermanentJobError(
            'DOCUMENT_TOO_LARGE',
            `The PDF has more than ${limits.maxTextChars} characters of text (limit reached on page ${pageNumber})`,
            { maxTextChars: limits.maxTextChars, page: pageNumber },
          );
        }
      } else if (await hasImages(page)) {
        pagesWithImages++;
      }
      page.cleanup();
    }

    if (totalChars < limits.minTextChars) {
      throw new PermanentJobError(
        'DOCUMENT_EMPTY',
        pagesWithImages > 0
          ? `The PDF has no text layer (${pagesWithImages} of ${pdf.numPages} page(s) are images only); scanned documents need OCR before upload`
          : `The PDF contains no extractable text (${totalChars} characters on ${pdf.numPages} page(s))`,
        { pages: pdf.numPages, imageOnlyPages: pagesWithImages, characters: totalChars },
      );
    }

    return {
      format: 'pdf',
      pages,
      pageCount: pdf.numPages,
      headings: await headingsOf(pdf, pages),
      ...(await metadataTitle(pdf)),
    };
  } finally {
    // Not awaited: with a text stream cancelled mid-page PDF.js never settles `destroy()`. The
    // bounded parser runs this in a thread that is terminated afterwards, which frees everything.
    pdf.destroy().catch(() => undefined);
  }
}

async function loadPage(pdf: PdfDocument, pageNumber: number): Promise<PdfPage> {
  try {
    return await pdf.getPage(pageNumber);
  } catch (error) {
    throw unreadable(error, pageNumber);
  }
}

/**
 * Joins PDF.js text items into lines (items flagged `hasEOL` end a line), whitespace tidied. Items
 * are counted against the document's budget as they stream in, so a page set that repeats millions
 * of tiny text runs stops at the limit rather than after reading them all.
 */
async function pageText(page: PdfPage, pageNumber: number, items: { left: number }): Promise<string> {
  const parts: string[] = [];
  try {
    const reader = page.streamTextContent().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const batch = (value as { items: { str?: string; hasEOL?: boolean }[] }).items;
      items.left -= batch.length;
      if (items.left < 0) {
        // Not awaited: PDF.js settles a cancelled text stream only when the page finishes.
        reader.cancel().catch(() => undefined);
        throw new PermanentJobError(
          'DOCUMENT_TOO_COMPLEX',
          `The PDF is too complex to read (too many separate pieces of text by page ${pageNumber}); export it again as a plain PDF or upload its text`,
          { page: pageNumber },
        );
      }
      for (const item of batch) {
        if (typeof item.str !== 'string') continue;
        parts.push(item.str);
        if (item.hasEOL) parts.push('\n');
      }
    }
  } catch (error) {
    if (error instanceof PermanentJobError) throw error;
    throw unreadable(error, pageNumber);
  }
  const raw = parts.join('');
  return raw
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whether a page without text paints images: tells a scan apart from a blank page. */
async function hasImages(page: PdfPage): Promise<boolean> {
  const { OPS } = await getResolvedPDFJS();
  const imageOps = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
  ]);
  try {
    const operators = await page.getOperatorList();
    return operators.fnArray.some((op: number) => imageOps.has(op));
  } catch {
    return false;
  }
}

/** The PDF's bookmarks when it has them, otherwise heading-like lines of the text (at most 100). */
async function headingsOf(pdf: PdfDocument, pages: readonly PageText[]): Promise<string[]> {
  const outline = await outlineTitles(pdf);
  if (outline.length > 0) return outline;
  return pages.flatMap((page) => headingLines(page.text)).slice(0, 100);
}

async function outlineTitles(pdf: PdfDocument): Promise<string[]> {
  try {
    const outline = (await pdf.getOutline()) ?? [];
    const titles: string[] = [];
    const walk = (items: typeof outline, depth: number): void => {
      for (const item of items) {
        const title = item.title.replace(/\s+/g, ' ').trim();
        if (title) titles.push(title);
        if (depth < 2 && item.items.length > 0) walk(item.items, depth + 1);
      }
    };
    walk(outline, 0);
    return titles;
  } catch {
    // The outline is a nicety for the query prompt; a broken one must not fail the job.
    return [];
  }
}

async function metadataTitle(pdf: PdfDocument): Promise<{ title?: string }> {
  try {
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: unknown }).Title;
    return typeof title === 'string' && title.trim() ? { title: title.trim() } : {};
  } catch {
    return {};
  }
}

function unreadable(error: unknown, pageNumber?: number): PermanentJobError {
  const name = (error as { name?: string } | undefined)?.name;
  const where = pageNumber === undefined ? '' : ` (page ${pageNumber})`;
  if (name === 'PasswordException') {
    return new PermanentJobError(
      'DOCUMENT_UNREADABLE',
      'The PDF is password-protected; upload an unlocked copy',
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new PermanentJobError('DOCUMENT_UNREADABLE', `The file is not a readable PDF${where}: ${reason}`, {
    pdfError: name ?? 'Error',
  });
}
