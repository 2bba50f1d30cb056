import { mapWithConcurrency } from './concurrency.js';
import type { TextEmbedder } from './text-embedder.js';

export interface EmbeddedTexts {
  readonly vectors: Float32Array[];
  /** Tokens billed by the embedding model. */
  readonly inputTokens: number;
}

/**
 * Embeds texts with at most `concurrency` calls in flight (the original used a pool of 10 threads;
 * here the bound is config), keeping order. Throttling is retried inside the SDK client; an error
 * that survives it fails the batch, and the job runner decides whether to retry the job.
 */
export async function embedTexts(
  embedder: TextEmbedder,
  texts: readonly string[],
  concurrency: number,
): Promise<EmbeddedTexts> {
  let inputTokens = 0;
  const vectors = await mapWithConcurrency(texts, concurrency, async (text) => {
    const embedding = await embedder.embed(text);
    inputTokens += embedding.inputTokens;
    return embedding.vector;
  });
  return { vectors, inputTokens };
}
