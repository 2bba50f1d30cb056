/**
 * Every tunable of the flashcard RAG pipeline, with the defaults the worker runs with. The
 * original shipped four different chunk sizes (500, 2000, 3000 characters) depending on which file
 * was read; here there is one object, and the embedding cache key includes the chunking part of it
 * so a change of sizes can never serve stale vectors.
 */
export interface ChunkingConfig {
  /**
   * Target chunk length in characters. Default 1,200 (about 250-300 English tokens): long enough to
   * hold a definition with its context, short enough that five to twelve chunks fit one prompt.
   */
  readonly targetChars: number;
  /**
   * Characters of trailing sentences repeated at the start of the next chunk. Default 200, so a
   * fact split across a boundary is still whole in one of the two chunks.
   */
  readonly overlapChars: number;
  /** A single sentence longer than this is hard-split on whitespace. Default 2,000. */
  readonly maxSentenceChars: number;
  /** Chunks shorter than this (page furniture, stray headers) are merged or dropped. Default 40. */
  readonly minChunkChars: number;
}

export interface DocumentLimits {
  /** Largest document accepted, in bytes. Default 20 MiB (the upload policy's document limit). */
  readonly maxBytes: number;
  /** Most PDF pages parsed. Default 300. */
  readonly maxPages: number;
  /**
   * Most characters of extracted text. Default 600,000 (~500 chunks): bounds embedding cost and
   * Lambda time for one job.
   */
  readonly maxTextChars: number;
  /** Fewer characters than this in the whole document counts as empty. Default 80. */
  readonly minTextChars: number;
  /**
   * Most PDF text items (positioned runs of text) read across all pages. Default 400,000: far above
   * any real document within `maxTextChars`, and a bound on pages that repeat tiny text runs.
   */
  readonly maxTextItems?: number;
  /** PDF parsing budget: wall time. Default 60 s (the flashcards function has 300 s in all). */
  readonly maxParseMs?: number;
  /** PDF parsing budget: heap of the parsing thread. Default 512 MB (of the function's 2,048). */
  readonly maxParseHeapMb?: number;
  /** PDF parsing budget: growth of resident memory (decompressed streams). Default 768 MB. */
  readonly maxParseRssGrowthMb?: number;
}

interface EmbeddingConfig {
  /** Concurrent InvokeModel calls per job. Default 8 (Titan V2's on-demand quota is ~2,000 RPM). */
  readonly concurrency: number;
  /** Titan V2 accepts up to 8,192 tokens; text beyond this many characters is cut. Default 8,000. */
  readonly maxInputChars: number;
}

export interface RetrievalConfig {
  /** Chunks kept per query before merging. Default 8. */
  readonly topKPerQuery: number;
  /**
   * MMR trade-off between relevance (1.0) and diversity (0.0). Default 0.7: mostly relevant, but a
   * near-copy of an already chosen chunk loses to a fresh one.
   */
  readonly mmrLambda: number;
  /** Upper bound of chunks given to the card writer. Default 12 (about 4k input tokens). */
  readonly maxContextChunks: number;
  /** Lower bound, raised with the card count (about one chunk per two cards). Default 4. */
  readonly minContextChunks: number;
}

export interface QueryConfig {
  /** Queries asked of Gemini (and built by the keyword fallback). Default 6. */
  readonly count: number;
  /** Headings and opening sentences given to Gemini as the outline, in characters. Default 4,000. */
  readonly outlineChars: number;
  /** Gemini call timeout; past it the fallback queries are used. Default 8 s. */
  readonly timeoutMs: number;
}

export interface GenerationConfig {
  /** Output token budget of one card-writing call. Default 4,096. */
  readonly maxTokens: number;
  /** Some variety in phrasing, still grounded. Default 0.4. */
  readonly temperature: number;
  /**
   * Two questions whose normalised token sets have a Jaccard similarity at or above this are
   * duplicates; the later one is dropped. Default 0.8: rewordings of the same question ("What is
   * X?" / "What is meant by X?") collide, different questions about the same term do not.
   */
  readonly duplicateThreshold: number;
  /** Extra rounds asking only for the missing cards. Default 1 (the issue asks for exactly one). */
  readonly topUpRounds: number;
}

export interface RagConfig {
  readonly chunking: ChunkingConfig;
  readonly limits: DocumentLimits;
  readonly embedding: EmbeddingConfig;
  readonly retrieval: RetrievalConfig;
  readonly queries: QueryConfig;
  readonly generation: GenerationConfig;
}

export const DEFAULT_RAG_CONFIG: RagConfig = {
  chunking: { targetChars: 1_200, overlapChars: 200, maxSentenceChars: 2_000, minChunkChars: 40 },
  limits: {
    maxBytes: 20 * 1024 * 1024,
    maxPages: 300,
    maxTextChars: 600_000,
    minTextChars: 80,
    maxTextItems: 400_000,
    maxParseMs: 60_000,
    maxParseHeapMb: 512,
    maxParseRssGrowthMb: 768,
  },
  embedding: { concurrency: 8, maxInputChars: 8_000 },
  retrieval: { topKPerQuery: 8, mmrLambda: 0.7, maxContextChunks: 12, minContextChunks: 4 },
  queries: { count: 6, outlineChars: 4_000, timeoutMs: 8_000 },
  generation: { maxTokens: 4_096, temperature: 0.4, duplicateThreshold: 0.8, topUpRounds: 1 },
};

/** Deep-merges overrides into the defaults (tests and the local command tune a few knobs). */
export function ragConfig(
  overrides: { readonly [K in keyof RagConfig]?: Partial<RagConfig[K]> } = {},
): RagConfig {
  const config: RagConfig = {
    chunking: { ...DEFAULT_RAG_CONFIG.chunking, ...overrides.chunking },
    limits: { ...DEFAULT_RAG_CONFIG.limits, ...overrides.limits },
    embedding: { ...DEFAULT_RAG_CONFIG.embedding, ...overrides.embedding },
    retrieval: { ...DEFAULT_RAG_CONFIG.retrieval, ...overrides.retrieval },
    queries: { ...DEFAULT_RAG_CONFIG.queries, ...overrides.queries },
    generation: { ...DEFAULT_RAG_CONFIG.generation, ...overrides.generation },
  };
  const { chunking, retrieval, generation, embedding } = config;
  if (chunking.overlapChars >= chunking.targetChars) {
    throw new Error(
      `rag config: chunking.overlapChars (${chunking.overlapChars}) must be below targetChars (${chunking.targetChars})`,
    );
  }
  if (retrieval.mmrLambda < 0 || retrieval.mmrLambda > 1) {
    throw new Error(`rag config: retrieval.mmrLambda must be within [0, 1], got ${retrieval.mmrLambda}`);
  }
  if (generation.duplicateThreshold <= 0 || generation.duplicateThreshold > 1) {
    throw new Error(
      `rag config: generation.duplicateThreshold must be within (0, 1], got ${generation.duplicateThreshold}`,
    );
  }
  if (!Number.isInteger(embedding.concurrency) || embedding.concurrency < 1) {
    throw new Error(
      `rag config: embedding.concurrency must be a positive integer, got ${embedding.concurrency}`,
    );
  }
  return config;
}
