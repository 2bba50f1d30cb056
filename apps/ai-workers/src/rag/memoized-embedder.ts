import type { Embedding, TextEmbedder } from './text-embedder.js';

/**
 * Keeps the most recent embeddings of short texts (the retrieval queries) in memory for the life of
 * the container, least recently used out first. Chunk vectors are cached per document in S3; query
 * vectors are tiny and repeat (fallback queries are deterministic, topic hints recur), so a repeated
 * request on a warm container makes no embedding call at all.
 */
export class MemoizedEmbedder implements TextEmbedder {
  private readonly entries = new Map<string, Promise<Embedding>>();

  constructor(
    private readonly inner: TextEmbedder,
    /** Entries kept; 1,000 queries of 1,024 floats is about 4 MB. */
    private readonly capacity = 1_000,
  ) {}

  get modelId(): string {
    return this.inner.modelId;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  get normalized(): boolean {
    return this.inner.normalized;
  }

  embed(text: string): Promise<Embedding> {
    const cached = this.entries.get(text);
    if (cached) {
      // Re-insert to mark as most recently used (a Map iterates in insertion order).
      this.entries.delete(text);
      this.entries.set(text, cached);
      // A repeat costs no tokens.
      return cached.then((embedding) => ({ vector: embedding.vector, inputTokens: 0 }));
    }
    const pending = this.inner.embed(text);
    this.entries.set(text, pending);
    pending.catch(() => {
      if (this.entries.get(text) === pending) this.entries.delete(text);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }
}
