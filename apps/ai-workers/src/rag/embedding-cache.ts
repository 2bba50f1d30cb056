import { createHash } from 'node:crypto';
import { S3_PREFIXES } from '@bandup/shared';
import * as z from '@bandup/shared/zod';
import { isS3ObjectNotFound } from '../clients/s3-not-found.js';
import type { S3Objects } from '../clients/s3-objects.js';
import type { ChunkingConfig } from './rag-config.js';

/**
 * Bump when chunk boundaries or ids could change for the same text and config (a change in the
 * chunker or parser), so old cache entries stop matching instead of serving misaligned vectors.
 */
const CHUNKER_VERSION = 2;

/** Vectors of a document's chunks, in chunk order. */
export interface CachedEmbeddings {
  readonly modelId: string;
  readonly dimensions: number;
  readonly chunkIds: readonly string[];
  readonly vectors: readonly Float32Array[];
}

/** Where embeddings are kept between jobs (S3 in production, a Map in unit tests). */
export interface EmbeddingStore {
  get(key: string): Promise<CachedEmbeddings | undefined>;
  put(key: string, value: CachedEmbeddings): Promise<void>;
}

export interface EmbeddingCacheKeyInput {
  readonly documentBytes: Uint8Array;
  readonly modelId: string;
  readonly dimensions: number;
  readonly normalized: boolean;
  readonly chunking: ChunkingConfig;
  readonly maxInputChars: number;
}

/**
 * `embeddings/<modelId>/<dimensions>/<sha256>.json`, the hash over the document's bytes and every
 * parameter that shapes the chunks or their vectors: the same document embedded with the same
 * settings hits the cache, any change misses it.
 */
export function embeddingCacheKey(input: EmbeddingCacheKeyInput): string {
  const params = JSON.stringify({
    chunkerVersion: CHUNKER_VERSION,
    chunking: {
      targetChars: input.chunking.targetChars,
      overlapChars: input.chunking.overlapChars,
      maxSentenceChars: input.chunking.maxSentenceChars,
      minChunkChars: input.chunking.minChunkChars,
    },
    normalized: input.normalized,
    maxInputChars: input.maxInputChars,
  });
  const hash = createHash('sha256').update(input.documentBytes).update('\u0000').update(params).digest('hex');
  return `${S3_PREFIXES.embeddings}${input.modelId.replace(/[^A-Za-z0-9._:-]/g, '_')}/${input.dimensions}/${hash}.json`;
}

const CacheFileSchema = z.object({
  formatVersion: z.literal(1),
  modelId: z.string(),
  dimensions: z.int().check(z.positive()),
  chunkIds: z.array(z.string()),
  /** All vectors back to back as little-endian float32, base64: ~4x smaller than a JSON number list. */
  vectors: z.string(),
});

export function encodeCacheFile(value: CachedEmbeddings): string {
  const packed = new Float32Array(value.vectors.length * value.dimensions);
  value.vectors.forEach((vector, i) => {
    packed.set(vector, i * value.dimensions);
  });
  return JSON.stringify({
    formatVersion: 1,
    modelId: value.modelId,
    dimensions: value.dimensions,
    chunkIds: value.chunkIds,
    // Lambda (x86_64 and arm64) is little-endian, so the typed array's bytes are the file's bytes.
    vectors: Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString('base64'),
  });
}

/** Parses a cache file; throws with the reason when it is not one (the caller treats that as a miss). */
export function decodeCacheFile(text: string): CachedEmbeddings {
  const file = CacheFileSchema.parse(JSON.parse(text));
  const bytes = Buffer.from(file.vectors, 'base64');
  const expected = file.chunkIds.length * file.dimensions * Float32Array.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) {
    throw new Error(`cache file holds ${bytes.byteLength} bytes of vectors, ${expected} expected`);
  }
  // Copy into an aligned buffer (a Buffer's offset into its pool need not be a multiple of 4).
  const packed = new Float32Array(new Uint8Array(bytes).buffer);
  const vectors = file.chunkIds.map((_, i) =>
    packed.subarray(i * file.dimensions, (i + 1) * file.dimensions),
  );
  return { modelId: file.modelId, dimensions: file.dimensions, chunkIds: file.chunkIds, vectors };
}

/** The embedding cache in the AI data bucket (encrypted at rest by the bucket's default KMS key). */
export class S3EmbeddingStore implements EmbeddingStore {
  constructor(
    private readonly s3: S3Objects,
    private readonly bucket: string,
  ) {}

  async get(key: string): Promise<CachedEmbeddings | undefined> {
    try {
      return decodeCacheFile(await this.s3.getText(this.bucket, key));
    } catch (error) {
      if (isS3ObjectNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, value: CachedEmbeddings): Promise<void> {
    await this.s3.put(this.bucket, key, encodeCacheFile(value), 'application/json');
  }
}
