/** One embedding and what it cost. */
export interface Embedding {
  readonly vector: Float32Array;
  readonly inputTokens: number;
}

/** A text embedding model (Titan Text Embeddings V2 in production, a hashed bag of words in tests). */
export interface TextEmbedder {
  readonly modelId: string;
  readonly dimensions: number;
  /** Whether the model returns unit-length vectors (then cosine similarity is a dot product). */
  readonly normalized: boolean;
  embed(text: string): Promise<Embedding>;
}
