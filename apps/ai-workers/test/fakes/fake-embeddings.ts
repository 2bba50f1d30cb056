import type { Embedding, TextEmbedder } from '../../src/rag/text-embedder.js';
import { fold, STOPWORDS, tokenize } from '../../src/rag/text-tokens.js';
import type { InvokeCall } from './fake-bedrock.js';
import type { FakeResponse } from './fake-http-server.js';

/**
 * A deterministic stand-in for a text embedding: a hashed bag of words. Each content word (stopwords
 * dropped, plurals folded) adds +1 or -1 (by a second hash bit) to one of `dimensions` buckets
 * chosen by its FNV-1a hash; the sum is normalised. Cosine similarity then tracks shared
 * vocabulary, so tests can say which chunk a query must retrieve.
 */
export function hashedBagOfWords(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const token of tokenize(text)) {
    if (STOPWORDS.has(token)) continue;
    const hash = fnv1a(fold(token));
    vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vector[i] = vector[i]! * scale;
  }
  return vector;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** In-process embedder over `hashedBagOfWords`, counting its calls (unit tests, the bench). */
export class HashedBagOfWordsEmbedder implements TextEmbedder {
  readonly normalized = true;
  calls = 0;

  constructor(
    readonly dimensions = 256,
    readonly modelId = 'fake.hashed-bag-of-words',
  ) {}

  async embed(text: string): Promise<Embedding> {
    this.calls++;
    return { vector: hashedBagOfWords(text, this.dimensions), inputTokens: tokenize(text).length };
  }
}

export interface TitanInvokeOptions {
  /** Answer the first n calls with a 429 ThrottlingException. */
  readonly throttleFirst?: number;
  /** Fixed latency of every answer (benchmarks). */
  readonly delayMs?: number;
}

/**
 * An `invoke` route for `startFakeBedrock` that answers like Titan Text Embeddings V2
 * (`{embedding, inputTextTokenCount}`), with the hashed bag of words at the requested dimensions.
 */
export function titanInvokeRoute(options: TitanInvokeOptions = {}): (call: InvokeCall) => FakeResponse {
  let seen = 0;
  return (call) => {
    seen++;
    if (seen <= (options.throttleFirst ?? 0)) {
      return {
        status: 429,
        headers: {
          'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        },
        body: { message: 'Too many requests, please wait before trying again.' },
        ...(options.delayMs ? { delayMs: options.delayMs } : {}),
      };
    }
    const body = call.body as { inputText?: unknown; dimensions?: unknown; normalize?: unknown };
    if (typeof body.inputText !== 'string' || body.inputText.length === 0) {
      return {
        status: 400,
        headers: { 'x-amzn-errortype': 'ValidationException' },
        body: { message: 'Malformed input request: #: required key [inputText] not found' },
      };
    }
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 1024;
    return {
      status: 200,
      body: {
        embedding: Array.from(hashedBagOfWords(body.inputText, dimensions)),
        inputTextTokenCount: tokenize(body.inputText).length,
      },
      ...(options.delayMs ? { delayMs: options.delayMs } : {}),
    };
  };
}
