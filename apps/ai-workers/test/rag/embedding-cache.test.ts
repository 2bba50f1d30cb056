import { describe, expect, it } from 'vitest';
import { decodeCacheFile, embeddingCacheKey, encodeCacheFile } from '../../src/rag/embedding-cache.js';
import { DEFAULT_RAG_CONFIG } from '../../src/rag/rag-config.js';

const keyInput = {
  documentBytes: new TextEncoder().encode('some document'),
  modelId: 'amazon.titan-embed-text-v2:0',
  dimensions: 256,
  normalized: true,
  chunking: DEFAULT_RAG_CONFIG.chunking,
  maxInputChars: 8000,
};

describe('embedding cache', () => {
  it('keys by model, dimensions and a hash of the bytes and every parameter', () => {
    const key = embeddingCacheKey(keyInput);
    expect(key).toMatch(/^embeddings\/amazon\.titan-embed-text-v2:0\/256\/[0-9a-f]{64}\.json$/);
    expect(embeddingCacheKey({ ...keyInput })).toBe(key);
    const variants = [
      { documentBytes: new TextEncoder().encode('some document!') },
      { chunking: { ...keyInput.chunking, overlapChars: 150 } },
      { normalized: false },
      { maxInputChars: 4000 },
      { modelId: 'arn:aws:bedrock:us-east-1::inference-profile/x' },
    ];
    for (const variant of variants) expect(embeddingCacheKey({ ...keyInput, ...variant })).not.toBe(key);
    expect(embeddingCacheKey({ ...keyInput, modelId: 'a/b' })).toContain('embeddings/a_b/256/');
  });

  it('round-trips vectors exactly through the file format', () => {
    const vectors = [Float32Array.from([0.1, -0.2, 0.3]), Float32Array.from([1e-8, 2.5, -3])];
    const decoded = decodeCacheFile(
      encodeCacheFile({ modelId: 'm', dimensions: 3, chunkIds: ['p1-c1', 'p2-c2'], vectors }),
    );
    expect(decoded.chunkIds).toEqual(['p1-c1', 'p2-c2']);
    expect(decoded.vectors.map((v) => Array.from(v))).toEqual(vectors.map((v) => Array.from(v)));
  });

  it('rejects a file whose vectors do not match its chunk list', () => {
    const file = JSON.parse(
      encodeCacheFile({ modelId: 'm', dimensions: 2, chunkIds: ['a'], vectors: [Float32Array.from([1, 2])] }),
    );
    file.chunkIds.push('b');
    expect(() => decodeCacheFile(JSON.stringify(file))).toThrow('16 expected');
    expect(() => decodeCacheFile('{"formatVersion":2}')).toThrow();
  });
});
