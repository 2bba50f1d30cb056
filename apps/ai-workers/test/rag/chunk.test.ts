import { describe, expect, it } from 'vitest';
import { chunkPages, sentenceSpans } from '../../src/rag/chunk.js';
import { DEFAULT_RAG_CONFIG } from '../../src/rag/rag-config.js';

const sentence = (n: number) => `Sentence number ${n} states one fact about the topic in a few words.`;
const paragraph = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => sentence(from + i)).join(' ');

const config = { targetChars: 300, overlapChars: 80, maxSentenceChars: 400, minChunkChars: 20 };

describe('sentenceSpans', () => {
  it('splits on sentence boundaries, treating single line breaks as spaces', () => {
    const text = 'Water boils at 100 degrees\nat sea level. Ice melts at zero!\n\nNew paragraph here';
    const spans = sentenceSpans(text, 1000).map((span) => text.slice(span.start, span.end));
    expect(spans).toEqual([
      'Water boils at 100 degrees\nat sea level.',
      'Ice melts at zero!',
      'New paragraph here',
    ]);
  });

  it('ends a sentence after a heading-like line (short, unpunctuated, followed by a capital)', () => {
    const text = 'Solar power\nPhotovoltaic panels convert sunlight. They use\nSilicon cells.';
    const spans = sentenceSpans(text, 1000).map((span) => text.slice(span.start, span.end));
    expect(spans).toEqual([
      'Solar power',
      'Photovoltaic panels convert sunlight.',
      'They use\nSilicon cells.',
    ]);
  });

  it('cuts an over-long sentence on whitespace', () => {
    const text = `${'word '.repeat(100).trim()}.`;
    const spans = sentenceSpans(text, 120);
    expect(spans.length).toBeGreaterThan(3);
    for (const span of spans) {
      expect(span.end - span.start).toBeLessThanOrEqual(120);
      expect(text.slice(span.start, span.end)).toMatch(/^\S.*\S$/);
    }
  });
});

describe('chunkPages', () => {
  it('packs whole sentences up to the target, overlapping the next chunk by trailing sentences', () => {
    const text = paragraph(1, 20);
    const chunks = chunkPages([{ pageNumber: 1, text }], config);
    expect(chunks.length).toBeGreaterThan(3);
    chunks.forEach((chunk, i) => {
      expect(chunk.text).toBe(text.slice(chunk.startOffset, chunk.endOffset));
      expect(chunk.text.length).toBeLessThanOrEqual(config.targetChars);
      expect(chunk.text).toMatch(/^Sentence number \d+ .*\.$/); // starts and ends on a sentence
      const next = chunks[i + 1];
      if (next) {
        expect(next.startOffset).toBeLessThan(chunk.endOffset); // overlap
        expect(chunk.endOffset - next.startOffset).toBeLessThanOrEqual(config.overlapChars);
        expect(next.startOffset).toBeGreaterThan(chunk.startOffset); // progress
      }
    });
    // Every sentence is in some chunk.
    for (let n = 1; n <= 20; n++) expect(chunks.some((chunk) => chunk.text.includes(sentence(n)))).toBe(true);
  });

  it('never crosses pages, numbers chunks across the document and keeps page numbers', () => {
    const chunks = chunkPages(
      [
        { pageNumber: 2, text: paragraph(1, 6) },
        { pageNumber: 5, text: paragraph(7, 9) },
      ],
      config,
    );
    expect(chunks.map((chunk) => chunk.id)).toEqual(
      chunks.map((chunk, i) => `p${chunk.pageNumber}-c${i + 1}`),
    );
    expect(new Set(chunks.map((chunk) => chunk.pageNumber))).toEqual(new Set([2, 5]));
    for (const chunk of chunks.filter((c) => c.pageNumber === 5))
      expect(chunk.text).not.toContain(sentence(6));
  });

  it('is deterministic (the embedding cache relies on it)', () => {
    const pages = [{ pageNumber: 1, text: paragraph(1, 12) }];
    expect(chunkPages(pages, config)).toEqual(chunkPages(pages, config));
  });

  it('merges a short trailing sentence into the previous chunk and drops page furniture', () => {
    const text = `${paragraph(1, 4)} Done.`;
    const chunks = chunkPages(
      [
        { pageNumber: 1, text },
        { pageNumber: 2, text: 'Page 2' },
      ],
      { ...config, minChunkChars: 30 },
    );
    expect(chunks.every((chunk) => chunk.pageNumber === 1)).toBe(true);
    expect(chunks.at(-1)?.text.endsWith('Done.')).toBe(true);
    expect(chunks.every((chunk) => chunk.text !== 'Done.')).toBe(true);
  });

  it('uses the documented defaults', () => {
    expect(DEFAULT_RAG_CONFIG.chunking).toEqual({
      targetChars: 1200,
      overlapChars: 200,
      maxSentenceChars: 2000,
      minChunkChars: 40,
    });
  });
});
