import { describe, expect, it } from 'vitest';
import { DuplicateFilter, jaccard, questionSignature } from '../../src/rag/dedupe.js';

describe('question de-duplication', () => {
  it('reduces a question to its content words', () => {
    expect([...questionSignature('What is the definition of Photosynthesis?')]).toEqual(['photosynthesi']);
    expect([...questionSignature('Define photosynthesis.')]).toEqual(['photosynthesi']);
  });

  it('treats rewordings as duplicates and different questions about one term as distinct', () => {
    const filter = new DuplicateFilter(0.8);
    expect(filter.accept('What is photosynthesis?')).toBe(true);
    expect(filter.accept('Define photosynthesis.')).toBe(false);
    expect(filter.accept('What is meant by photosynthesis?')).toBe(false);
    expect(filter.accept('Which gas do plants release during photosynthesis?')).toBe(true);
    expect(filter.accept('Which gas is released by plants during photosynthesis?')).toBe(false);
    expect(filter.accept('Which organelle makes ATP?')).toBe(true);
    expect(filter.accept('Which organelles make ATP?')).toBe(false);
    expect(filter.accept('Where in the cell does photosynthesis take place?')).toBe(true);
  });

  it('computes Jaccard similarity', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });
});
