import * as z from '@bandup/shared/zod';
import type { Embedding, TextEmbedder } from '../rag/text-embedder.js';
import type { BedrockRuntime } from './bedrock-runtime.js';

/** Output sizes Titan Text Embeddings V2 supports. */
const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

export interface TitanEmbedderOptions {
  /**
   * A Bedrock Runtime client from `createBedrockRuntimeClient`: it retries `ThrottlingException`
   * (HTTP 429) and 5xx with jittered exponential backoff (from 500 ms when throttled), which spreads a
   * burst of concurrent embedding calls out.
   */
  readonly client: BedrockRuntime;
  /** Default `amazon.titan-embed-text-v2:0`. */
  readonly modelId: string;
  readonly dimensions: number;
  /** Ask Titan for unit-length vectors (then cosine similarity is a dot product). Default true. */
  readonly normalize?: boolean;
  /** Titan V2 takes up to 8,192 tokens / 50,000 characters; longer input is cut here. Default 8,000. */
  readonly maxInputChars?: number;
}

const TitanResponseSchema = z.object({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.optional(z.int().check(z.nonnegative())),
});

/**
 * Amazon Titan Text Embeddings V2 through `InvokeModel` (the model has no Converse API). One text
 * per call, as the model takes; callers run calls concurrently with a bound.
 */
export class TitanEmbedder implements TextEmbedder {
  readonly modelId: string;
  readonly dimensions: number;
  readonly normalized: boolean;
  private readonly client: BedrockRuntime;
  private readonly maxInputChars: number;

  constructor(options: TitanEmbedderOptions) {
    if (!(TITAN_V2_DIMENSIONS as readonly number[]).includes(options.dimensions)) {
      throw new Error(
        `Titan Text Embeddings V2 supports ${TITAN_V2_DIMENSIONS.join(', ')} dimensions, not ${options.dimensions}`,
      );
    }
    this.client = options.client;
    this.modelId = options.modelId;
    this.dimensions = options.dimensions;
    this.normalized = options.normalize ?? true;
    this.maxInputChars = options.maxInputChars ?? 8_000;
  }

  async embed(text: string): Promise<Embedding> {
    const inputText = text.length > this.maxInputChars ? text.slice(0, this.maxInputChars) : text;
    if (inputText.trim().length === 0) throw new Error('Titan embeddings: refusing to embed an empty text');
    const raw = await this.client.invokeModel(
      this.modelId,
      JSON.stringify({ inputText, dimensions: this.dimensions, normalize: this.normalized }),
    );
    let parsed: z.infer<typeof TitanResponseSchema>;
    try {
      parsed = TitanResponseSchema.parse(JSON.parse(raw));
    } catch (error) {
      throw new Error(
        `Titan embeddings (${this.modelId}) answered with an unexpected body: ${(error as Error).message}`,
      );
    }
    if (parsed.embedding.length !== this.dimensions) {
      throw new Error(
        `Titan embeddings (${this.modelId}) returned ${parsed.embedding.length} dimensions, ${this.dimensions} were asked for`,
      );
    }
    return { vector: Float32Array.from(parsed.embedding), inputTokens: parsed.inputTextTokenCount ?? 0 };
  }
}
