import { PermanentJobError } from '../runtime/errors.js';
import { parsePdfBounded } from './parse-pdf-bounded.js';
import { parseText } from './parse-text.js';
import type { DocumentFormat, ParsedDocument } from './parsed-document.js';
import { DEFAULT_RAG_CONFIG, type DocumentLimits } from './rag-config.js';

export interface DocumentSource {
  readonly bytes: Uint8Array;
  /** Object key (or file name): its extension is a hint when the content type is generic. */
  readonly key: string;
  /** `Content-Type` stored with the object, when known. */
  readonly contentType?: string;
}

/**
 * Decides the format and parses the document within the limits: PDFs in a bounded worker thread
 * (see `parsePdfBounded`), text in linear time.
 */
export async function parseDocument(source: DocumentSource, limits: DocumentLimits): Promise<ParsedDocument> {
  const { bytes } = source;
  if (bytes.byteLength === 0) {
    throw new PermanentJobError('DOCUMENT_EMPTY', `The document "${source.key}" is empty (0 bytes)`);
  }
  if (bytes.byteLength > limits.maxBytes) {
    throw new PermanentJobError(
      'DOCUMENT_TOO_LARGE',
      `The document is ${bytes.byteLength} bytes; at most ${limits.maxBytes} are accepted`,
      { bytes: bytes.byteLength, maxBytes: limits.maxBytes },
    );
  }
  const format = detectFormat(source);
  if (format !== 'pdf') return parseText(bytes, format, limits);
  return parsePdfBounded(bytes, limits, {
    timeoutMs: limits.maxParseMs ?? DEFAULT_RAG_CONFIG.limits.maxParseMs!,
    maxHeapMb: limits.maxParseHeapMb ?? DEFAULT_RAG_CONFIG.limits.maxParseHeapMb!,
    maxRssGrowthMb: limits.maxParseRssGrowthMb ?? DEFAULT_RAG_CONFIG.limits.maxParseRssGrowthMb!,
  });
}

/**
 * The format, from the declared type and extension first and the bytes second: a file declared as
 * text or Markdown is text, even if it mentions `%PDF-` (a note about PDFs, a pasted header); a file
 * declared as a PDF must be one; an undeclared file is a PDF only if it *starts* with `%PDF-`.
 */
function detectFormat(source: DocumentSource): DocumentFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(source.key)?.[1]?.toLowerCase();
  const contentType = source.contentType?.split(';')[0]?.trim().toLowerCase();
  const declaredText =
    extension === 'txt' ||
    extension === 'text' ||
    extension === 'md' ||
    extension === 'markdown' ||
    contentType === 'text/plain' ||
    contentType === 'text/markdown';
  const declaredPdf = extension === 'pdf' || contentType === 'application/pdf';
  if (declaredPdf && hasPdfHeader(source.bytes)) return 'pdf';
  if (!declaredText && !declaredPdf && startsWithPdfMagic(source.bytes)) return 'pdf';
  if (declaredPdf) {
    throw new PermanentJobError(
      'DOCUMENT_UNREADABLE',
      `"${source.key}" is named or typed as a PDF but has no PDF header`,
    );
  }
  if (extension === 'md' || extension === 'markdown' || contentType === 'text/markdown') return 'markdown';
  if (extension === 'txt' || extension === 'text' || contentType === 'text/plain' || !extension)
    return 'text';
  throw new PermanentJobError(
    'DOCUMENT_UNREADABLE',
    `Unsupported document type for "${source.key}" (${contentType ?? 'no content type'}); use PDF, plain text or Markdown`,
  );
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

function startsWithPdfMagic(bytes: Uint8Array): boolean {
  return PDF_MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * A file declared as a PDF may have its `%PDF-` header a little after offset 0 (the standard lets
 * readers accept it within the first 1,024 bytes; some generators prepend junk).
 */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  return head.includes('%PDF-');
}
