import { isHeadingLine } from './heading-lines.js';
import type { PageText } from './parsed-document.js';
import type { ChunkingConfig } from './rag-config.js';

/** A window of a page's text: what is embedded, retrieved, shown to the card writer and cited. */
export interface Chunk {
  /** `p<page>-c<n>`: unique in the document, stable for the same text and chunking config. */
  readonly id: string;
  readonly pageNumber: number;
  /** Offsets into the page's text: `page.text.slice(startOffset, endOffset) === text`. */
  readonly startOffset: number;
  readonly endOffset: number;
  readonly text: string;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Built on first use: constructing a sentence segmenter loads ICU's break rules (~15 ms), which a
 * cold start should not pay before a document needs chunking.
 */
let segmenter: Intl.Segmenter | undefined;

/**
 * Sentence-aware windows with overlap. Sentences (ICU sentence boundaries) are packed into a chunk
 * until the next one would pass `targetChars`; the next chunk then starts with the last sentences
 * of the previous one, up to `overlapChars`, so a fact split at a boundary is whole in one of the
 * two. Chunks never cross pages, so each cites exactly one page. A sentence longer than
 * `maxSentenceChars` is cut on whitespace.
 */
export function chunkPages(pages: readonly PageText[], config: ChunkingConfig): Chunk[] {
  const chunks: Chunk[] = [];
  for (const page of pages) {
    for (const span of chunkSpans(page.text, config)) {
      chunks.push({
        id: `p${page.pageNumber}-c${chunks.length + 1}`,
        pageNumber: page.pageNumber,
        startOffset: span.start,
        endOffset: span.end,
        text: page.text.slice(span.start, span.end),
      });
    }
  }
  return chunks;
}

function chunkSpans(text: string, config: ChunkingConfig): Span[] {
  const sentences = sentenceSpans(text, config.maxSentenceChars);
  const spans: Span[] = [];
  let first = 0;
  while (first < sentences.length) {
    // Pack sentences [first, last] up to the target length (always at least one).
    let last = first;
    while (
      last + 1 < sentences.length &&
      sentences[last + 1]!.end - sentences[first]!.start <= config.targetChars
    ) {
      last++;
    }
    spans.push({ start: sentences[first]!.start, end: sentences[last]!.end });
    if (last + 1 >= sentences.length) break;
    // Step back over trailing sentences that fit in the overlap, but always move forward.
    let next = last + 1;
    while (next - 1 > first && sentences[last]!.end - sentences[next - 1]!.start <= config.overlapChars) {
      next--;
    }
    first = next;
  }
  return mergeSmallTail(spans, config);
}

/**
 * A trailing scrap (a last short sentence) joins the chunk before it; a page whose only chunk is a
 * scrap (page furniture such as "Page 3") gives no chunk at all.
 */
function mergeSmallTail(spans: Span[], config: ChunkingConfig): Span[] {
  const small = (span: Span) => span.end - span.start < config.minChunkChars;
  const last = spans[spans.length - 1];
  const previous = spans[spans.length - 2];
  if (last && previous && small(last)) {
    return [...spans.slice(0, -2), { start: previous.start, end: last.end }];
  }
  return spans.length === 1 && last && small(last) ? [] : spans;
}

/**
 * Sentence spans of `text`, trimmed of surrounding whitespace. Single line breaks are treated as
 * spaces while segmenting (PDF lines wrap mid-sentence), except after a heading-like line; blank
 * lines still end a sentence.
 */
export function sentenceSpans(text: string, maxSentenceChars: number): Span[] {
  const unwrapped = unwrapLines(text);
  const spans: Span[] = [];
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  for (const { index, segment } of segmenter.segment(unwrapped)) {
    const leading = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = index + leading;
    spans.push(...splitLong({ start, end: start + trimmed.length }, text, maxSentenceChars));
  }
  return spans;
}

/**
 * `text` with wrapped lines joined by a space (same length, so offsets stay valid). A line break is
 * kept when the line before it looks like a heading: at most 12 words, no sentence end in it or at
 * its end, and followed by a line that starts with a capital or a digit; otherwise "Solar power" would run into the next sentence.
 */
function unwrapLines(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const next = lines[i + 1];
      if (next === undefined) return line;
      const heading = isHeadingLine(line, next);
      return heading || line.length === 0 || next.length === 0 ? `${line}\n` : `${line} `;
    })
    .join('');
}

function splitLong(span: Span, text: string, max: number): Span[] {
  const parts: Span[] = [];
  let start = span.start;
  while (span.end - start > max) {
    const window = text.slice(start, start + max);
    const cut = window.search(/\s\S*$/);
    const end = cut > max / 2 ? start + cut : start + max;
    parts.push({ start, end });
    start = end;
    while (start < span.end && /\s/.test(text[start]!)) start++;
  }
  if (start < span.end) parts.push({ start, end: span.end });
  return parts;
}
