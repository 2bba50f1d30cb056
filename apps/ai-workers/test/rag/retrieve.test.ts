import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/rag/chunk.js';
import { mergeHits, selectWithMmr } from '../../src/rag/mmr.js';
import { DEFAULT_RAG_CONFIG } from '../../src/rag/rag-config.js';
import { contextChunkCount, retrieve } from '../../src/rag/retrieve.js';
import { VectorIndex } from '../../src/rag/vector-index.js';
import { hashedBagOfWords } from '../fakes/fake-embeddings.js';

const DIMS = 512;
const texts = [
  'Photosynthesis in plants converts sunlight, water and carbon dioxide into glucose and oxygen.',
  'Chlorophyll pigments in chloroplasts absorb red and blue light for photosynthesis.',
  'The French Revolution began in 1789 with the storming of the Bastille in Paris.',
  'Plate tectonics explains earthquakes, volcanoes and the drift of continents.',
  'Mitochondria release energy from glucose through cellular respiration.',
  // A near-copy of chunk 0: MMR should avoid picking both.
  'Photosynthesis in plants converts sunlight, water and carbon dioxide into glucose and oxygen gas.',
];
const chunks: Chunk[] = texts.map((text, i) => ({
  id: `p1-c${i + 1}`,
  pageNumber: 1,
  startOffset: 0,
  endOffset: text.length,
  text,
}));
const index = VectorIndex.fromVectors(
  texts.map((text) => hashedBagOfWords(text, DIMS)),
  DIMS,
);
const embed = (query: string) => hashedBagOfWords(query, DIMS);

describe('VectorIndex', () => {
  it('ranks rows by cosine similarity to each query', () => {
    const [volcano, revolution] = index.searchMany(
      [embed('earthquakes and volcanoes'), embed('Bastille 1789')],
      2,
    );
    expect(volcano?.[0]?.index).toBe(3);
    expect(revolution?.[0]?.index).toBe(2);
    expect(volcano?.[0]?.score).toBeGreaterThan(volcano?.[1]?.score ?? 1);
  });

  it('normalises rows and queries, so scores are cosines whatever the input scale', () => {
    const scaled = VectorIndex.fromVectors([Float32Array.from([3, 4]), Float32Array.from([0, 2])], 2);
    const [hits] = scaled.searchMany([Float32Array.from([0, 10])], 2);
    expect(hits?.map((hit) => hit.index)).toEqual([1, 0]);
    expect(hits?.[0]?.score).toBeCloseTo(1, 6);
    expect(hits?.[1]?.score).toBeCloseTo(0.8, 6);
    expect(scaled.similarity(0, 1)).toBeCloseTo(0.8, 6);
  });

  it('scores any number of queries exactly as one query at a time (the multi-query kernels)', () => {
    const probes = [
      'photosynthesis glucose',
      'Bastille Paris',
      'earthquakes',
      'mitochondria energy',
      'light chlorophyll',
      'continents drift',
      'oxygen',
      'revolution 1789',
      'cells respiration glucose',
    ].map(embed);
    for (let n = 1; n <= probes.length; n++) {
      const together = index.searchMany(probes.slice(0, n), 3);
      const alone = probes.slice(0, n).map((probe) => index.searchMany([probe], 3)[0]);
      expect(together.map((hits) => hits.map((hit) => hit.index))).toEqual(
        alone.map((hits) => hits?.map((hit) => hit.index)),
      );
      together.forEach((hits, q) => {
        hits.forEach((hit, i) => {
          expect(hit.score).toBeCloseTo(alone[q]![i]!.score, 5);
        });
      });
    }
  });

  it('rejects vectors of the wrong size', () => {
    expect(() => VectorIndex.fromVectors([new Float32Array(3)], 4)).toThrow('vector 0 has 3 dimensions');
    expect(() => index.searchMany([new Float32Array(3)], 1)).toThrow('query has 3 dimensions');
  });
});

describe('MMR', () => {
  it('with lambda 1 is plain top-n; with diversity it takes a different chunk instead of the near-copy', () => {
    const candidates = mergeHits(
      index.searchMany([embed('plants convert sunlight, water and carbon dioxide into glucose')], 6),
    );
    const relevance = selectWithMmr(index, candidates, 2, 1).map((pick) => pick.index);
    expect(new Set(relevance)).toEqual(new Set([0, 5])); // the two near-copies are the most similar
    const diverse = selectWithMmr(index, candidates, 2, 0.5).map((pick) => pick.index);
    expect(diverse).toHaveLength(2);
    expect(diverse.filter((i) => i === 0 || i === 5)).toHaveLength(1);
  });

  it('merges per-query hits keeping each row once with its best score', () => {
    const merged = mergeHits([
      [
        { index: 1, score: 0.5 },
        { index: 2, score: 0.4 },
      ],
      [
        { index: 2, score: 0.9 },
        { index: 3, score: 0.1 },
      ],
    ]);
    expect(merged).toEqual([
      { index: 2, score: 0.9 },
      { index: 1, score: 0.5 },
      { index: 3, score: 0.1 },
    ]);
  });
});

describe('retrieve', () => {
  it('returns the winning chunks of each query, diversified, with per-query scores', () => {
    const queries = [
      'how plants make glucose by photosynthesis',
      'volcanoes and earthquakes',
      'the Bastille in 1789',
    ];
    const result = retrieve({
      index,
      chunks,
      queries,
      queryVectors: queries.map(embed),
      count: 3,
      config: { ...DEFAULT_RAG_CONFIG.retrieval, topKPerQuery: 2, mmrLambda: 0.7 },
    });
    expect(result.picked.map(({ chunk }) => chunk.id).sort()).toEqual(
      ['p1-c3', 'p1-c4', expect.stringMatching(/p1-c[16]/)].sort(),
    );
    expect(result.perQuery.map((entry) => entry.hits[0]?.chunkId)).toEqual([
      expect.stringMatching(/p1-c[16]/),
      'p1-c4',
      'p1-c3',
    ]);
  });

  it('sizes the context at about one chunk per two cards, within bounds', () => {
    const retrieval = { ...DEFAULT_RAG_CONFIG.retrieval, minContextChunks: 4, maxContextChunks: 12 };
    expect(contextChunkCount(1, 100, retrieval)).toBe(4);
    expect(contextChunkCount(10, 100, retrieval)).toBe(5);
    expect(contextChunkCount(50, 100, retrieval)).toBe(12);
    expect(contextChunkCount(50, 3, retrieval)).toBe(3);
  });
});
