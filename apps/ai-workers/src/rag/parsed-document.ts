/** The document formats the flashcard pipeline reads. */
export type DocumentFormat = 'pdf' | 'text' | 'markdown';

/** Text of one page (PDF) or of the whole document (text, Markdown: page 1). */
export interface PageText {
  /** 1-based, as printed in a PDF viewer. */
  readonly pageNumber: number;
  readonly text: string;
}

export interface ParsedDocument {
  readonly format: DocumentFormat;
  /** Pages that have text, in order; pages with none are left out but keep their numbers. */
  readonly pages: readonly PageText[];
  /** Pages in the file, including those without text. */
  readonly pageCount: number;
  /** Headings found in the document (Markdown `#` lines, PDF outline titles), in order. */
  readonly headings: readonly string[];
  /** Title from the PDF metadata or the first Markdown heading, when there is one. */
  readonly title?: string;
}
