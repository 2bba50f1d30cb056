import { PermanentJobError } from '../runtime/errors.js';
import { parsePdf } from './parse-pdf.js';
import { parseText } from './parse-text.js';
import type { DocumentFormat, ParsedDocument } from './parsed-document.js';
import type { DocumentLimits } from './rag-config.js';

export interface DocumentSource {
  readonly bytes: Uint8Array;
  /** Object key (or file name): its extension is a hint when the content type is generic. */
  readonly key: string;
  /** `Content-Type` stored with the object, when known. */
  readonly contentType?: string;
}

/**
 * Decides the format (the bytes win over the name: a PDF is recognised by its `%PDF-` header, and
 * a `.pdf` without one is rejected) and parses the document within the limits.
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
  return format === 'pdf' ? parsePdf(bytes, limits) : parseText(bytes, format, limits);
}

export function detectFormat(source: DocumentSource): DocumentFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(source.key)?.[1]?.toLowerCase();
  const contentType = source.contentType?.split(';')[0]?.trim().toLowerCase();
  if (hasPdfHeader(source.bytes)) return 'pdf';
  if (extension === 'pdf' || contentType === 'application/pdf') {
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

/** PDF files start with `%PDF-`; the standard lets readers accept it within the first 1,024 bytes. */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  return head.includes('%PDF-');
}
