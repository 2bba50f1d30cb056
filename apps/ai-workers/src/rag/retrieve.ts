import type { Chunk } from './chunk.js';
import { mergeHits, selectWithMmr } from './mmr.js';
import type { RetrievalConfig } from './rag-config.js';
import type { VectorIndex } from './vector-index.js';

/** A chunk picked for the card writer, with its best similarity to any query. */
export interface RetrievedChunk {
  readonly chunk: Chunk;
  readonly score: number;
}

export interface QueryHits {
  readonly query: string;
  readonly hits: readonly { readonly chunkId: string; readonly score: number }[];
}

export interface Retrieval {
  /** In MMR order: most relevant first, then the ones that add the most new ground. */
  readonly picked: readonly RetrievedChunk[];
  readonly perQuery: readonly QueryHits[];
}

export interface RetrieveInput {
  readonly index: VectorIndex;
  /** Row i of the index is chunks[i]. */
  readonly chunks: readonly Chunk[];
  readonly queries: readonly string[];
  readonly queryVectors: readonly Float32Array[];
  readonly count: number;
  readonly config: RetrievalConfig;
}

/**
 * Top-k chunks per query (exact cosine), merged (each chunk scored by its best query), then `count`
 * chosen by MMR so the context covers the document rather than repeating one passage.
 */
export function retrieve(input: RetrieveInput): Retrieval {
  const { index, chunks, queries, queryVectors, config } = input;
  if (index.size !== chunks.length) {
    throw new Error(`index has ${index.size} rows but there are ${chunks.length} chunks`);
  }
  // Each query alone can fill the context, so overlapping queries never leave MMR short of candidates.
  const hitLists = index.searchMany(queryVectors, Math.max(config.topKPerQuery, input.count));
  const picks = selectWithMmr(index, mergeHits(hitLists), input.count, config.mmrLambda);
  return {
    picked: picks.map((pick) => ({ chunk: chunks[pick.index]!, score: pick.relevance })),
    perQuery: queries.map((query, q) => ({
      query,
      hits: (hitLists[q] ?? []).map((hit) => ({ chunkId: chunks[hit.index]!.id, score: hit.score })),
    })),
  };
}

/**
 * How many chunks the card writer gets: about one per two cards, within the configured bounds and
 * never more than the document has.
 */
export function contextChunkCount(cardCount: number, available: number, config: RetrievalConfig): number {
  const wanted = Math.min(
    config.maxContextChunks,
    Math.max(config.minContextChunks, Math.ceil(cardCount / 2)),
  );
  return Math.min(wanted, available);
}
