import { describe, expect, it } from 'vitest';
import { MemoizedEmbedder } from '../../src/rag/memoized-embedder.js';
import type { Embedding, TextEmbedder } from '../../src/rag/text-embedder.js';
import { HashedBagOfWordsEmbedder } from '../fakes/fake-embeddings.js';

describe('MemoizedEmbedder', () => {
  it('embeds each text once, reports repeats as free, and evicts the least recently used', async () => {
    const inner = new HashedBagOfWordsEmbedder(64);
    const memo = new MemoizedEmbedder(inner, 2);
    expect(memo).toMatchObject({ modelId: inner.modelId, dimensions: 64, normalized: true });

    const first = await memo.embed('solar panels');
    expect(first.inputTokens).toBe(2);
    const again = await memo.embed('solar panels');
    expect(again).toEqual({ vector: first.vector, inputTokens: 0 });
    expect(inner.calls).toBe(1);

    await memo.embed('wind turbines'); // cache: solar, wind
    await memo.embed('solar panels'); // solar becomes most recent
    await memo.embed('tidal energy'); // evicts wind
    expect(inner.calls).toBe(3);
    await memo.embed('solar panels');
    expect(inner.calls).toBe(3);
    await memo.embed('wind turbines');
    expect(inner.calls).toBe(4);
  });

  it('does not keep failures', async () => {
    let calls = 0;
    const flaky: TextEmbedder = {
      modelId: 'flaky',
      dimensions: 2,
      normalized: true,
      embed: async (): Promise<Embedding> => {
        calls++;
        if (calls === 1) throw new Error('throttled');
        return { vector: Float32Array.from([1, 0]), inputTokens: 1 };
      },
    };
    const memo = new MemoizedEmbedder(flaky);
    await expect(memo.embed('x')).rejects.toThrow('throttled');
    await expect(memo.embed('x')).resolves.toMatchObject({ inputTokens: 1 });
    expect(calls).toBe(2);
  });
});
