import { PermanentJobError } from '../runtime/errors.js';
import type { PageText, ParsedDocument } from './parsed-document.js';
import type { DocumentLimits } from './rag-config.js';

/**
 * Reads a plain-text or Markdown document. Text must be UTF-8 (a BOM is allowed); form feeds
 * (`\f`, as written by `pdftotext`) separate pages, otherwise the whole text is page 1. Markdown
 * syntax is reduced to its words (links keep their text, images their alt text, code fences their
 * content) and `#` headings are kept as the outline.
 */
export function parseText(
  bytes: Uint8Array,
  format: 'text' | 'markdown',
  limits: DocumentLimits,
): ParsedDocument {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PermanentJobError('DOCUMENT_UNREADABLE', 'The text document is not valid UTF-8');
  }
  if (decoded.includes('\u0000')) {
    throw new PermanentJobError('DOCUMENT_UNREADABLE', 'The text document contains binary data (NUL bytes)');
  }

  const headings: string[] = [];
  const rawPages = decoded.replace(/\r\n?/g, '\n').split('\f');
  const pages: PageText[] = [];
  let totalChars = 0;
  rawPages.forEach((raw, index) => {
    const text = tidy(format === 'markdown' ? stripMarkdown(raw, headings) : raw);
    if (!text) return;
    pages.push({ pageNumber: index + 1, text });
    totalChars += text.length;
  });

  if (totalChars > limits.maxTextChars) {
    throw new PermanentJobError(
      'DOCUMENT_TOO_LARGE',
      `The document has ${totalChars} characters of text; at most ${limits.maxTextChars} are accepted`,
      { characters: totalChars, maxTextChars: limits.maxTextChars },
    );
  }
  if (totalChars < limits.minTextChars) {
    throw new PermanentJobError(
      'DOCUMENT_EMPTY',
      `The document has too little text to make flashcards from (${totalChars} characters, at least ${limits.minTextChars} needed)`,
      { characters: totalChars },
    );
  }
  const title = format === 'markdown' ? headings[0] : undefined;
  return { format, pages, pageCount: rawPages.length, headings, ...(title ? { title } : {}) };
}

/** Markdown to plain prose; pushes ATX and setext headings onto `headings`. */
export function stripMarkdown(markdown: string, headings: string[] = []): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    const atx = atxHeadingText(line);
    const next = lines[i + 1] ?? '';
    if (atx !== undefined) {
      line = inline(atx);
      if (line) headings.push(line);
      // A heading is its own sentence for the chunker.
      out.push(line ? `${line}.` : '');
      continue;
    }
    if (line.trim() && /^\s{0,3}(=+|-+)\s*$/.test(next) && !/^\s*[-*+]\s/.test(line)) {
      line = inline(line.trim());
      headings.push(line);
      out.push(`${line}.`);
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_]\s*){3,}$/.test(line)) continue; // thematic break
    line = line
      .replace(/^\s{0,3}>\s?/, '') // blockquote
      .replace(/^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '') // list markers and task boxes
      .replace(/^\s*\|(.*)\|\s*$/, (_m, cells: string) => cells.split('|').join(' ')); // table rows
    if (/^[\s:|-]+$/.test(line) && line.includes('-')) continue; // table separator row
    out.push(inline(line));
  }
  return out.join('\n');
}

/**
 * The text of an ATX heading (`## Title ##`), or undefined when the line is not one. Scanned by hand:
 * the obvious pattern `^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$` backtracks cubically on a long run of spaces.
 */
export function atxHeadingText(line: string): string | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let level = 0;
  while (line[i + level] === '#') level++;
  if (level < 1 || level > 6) return undefined;
  i += level;
  if (i < line.length && line[i] !== ' ' && line[i] !== '\t') return undefined;
  let end = line.length;
  while (end > i && isSpace(line[end - 1])) end--;
  // An optional closing run of `#`, when it stands apart (or is all there is).
  let hashes = end;
  while (hashes > i && line[hashes - 1] === '#') hashes--;
  if (hashes < end && (hashes === i || isSpace(line[hashes - 1]))) end = hashes;
  let start = i;
  while (start < end && isSpace(line[start])) start++;
  while (end > start && isSpace(line[end - 1])) end--;
  return line.slice(start, end);
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/**
 * Inline Markdown to its words, in linear time however long the line: every repeated part of these
 * patterns stops at the next opening delimiter (`[`, `(`, `<`) and is bounded ({0,N}), so a line full
 * of unclosed `[`, `![`, `<a` or `**` is scanned a bounded number of times per character.
 */
function inline(text: string): string {
  return text
    .replace(/!\[([^\][]{0,1000})\]\([^()]{0,2000}\)/g, '$1') // images -> alt text
    .replace(/\[([^\][]{1,1000})\]\([^()]{0,2000}\)/g, '$1') // links -> text
    .replace(/\[([^\][]{1,1000})\]\[[^\][]{0,1000}\]/g, '$1') // reference links
    .replace(/<\/?[a-zA-Z][^<>]{0,1000}>/g, '') // inline HTML tags
    .replace(/(\*\*|__)(.{1,1000}?)\1/g, '$2') // bold
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]{0,1000}?)[*_](?=[^\w*]|$)/g, '$1$2') // italics
    .replace(/`([^`]{1,1000})`/g, '$1') // inline code
    .replace(/~~(.{1,1000}?)~~/g, '$1')
    .trim();
}

/** Collapses runs of spaces and blank lines; keeps paragraph breaks as `\n\n`. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
