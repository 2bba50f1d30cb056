import type { CardDifficulty, CardType, FeedbackLanguage, FlashcardSetResult } from '@bandup/shared';
import type { ChatModel } from '../clients/chat-model.js';
import type { JsonTextModel } from '../clients/gemini.js';
import { PermanentJobError } from '../runtime/errors.js';
import { toModelUsageRecord } from '../runtime/model-usage-record.js';
import { opsMetrics } from '../runtime/ops-metrics.js';
import { generateCards, type RejectionCounts } from './card-generator.js';
import { type Chunk, chunkPages } from './chunk.js';
import { embedTexts } from './embed-chunks.js';
import { type EmbeddingStore, embeddingCacheKey } from './embedding-cache.js';
import { type DocumentSource, parseDocument } from './parse-document.js';
import type { ParsedDocument } from './parsed-document.js';
import type { RagConfig } from './rag-config.js';
import { contextChunkCount, type QueryHits, retrieve } from './retrieve.js';
import { planQueries } from './smart-queries.js';
import type { TextEmbedder } from './text-embedder.js';
import { VectorIndex } from './vector-index.js';

/** The subset of a Powertools logger the pipeline uses. */
interface PipelineLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface FlashcardPipelineDeps {
  /** Embeds the document's chunks (their vectors are cached in `embeddingStore`). */
  readonly embedder: TextEmbedder;
  /**
   * Embeds the queries; defaults to `embedder`. The worker passes a `MemoizedEmbedder` over the same
   * model, so repeated queries on a warm container cost nothing. Must be the same model.
   */
  readonly queryEmbedder?: TextEmbedder;
  readonly embeddingStore: EmbeddingStore;
  /** The card writer (the assessment model on Bedrock Converse). */
  readonly chatModel: ChatModel;
  /**
   * The query planner (Gemini). Undefined when not configured; its failures (secret missing, API
   * down, bad answer) surface inside the call and turn into fallback queries.
   */
  readonly queryModel?: JsonTextModel;
  readonly config: RagConfig;
  readonly logger?: PipelineLogger;
}

export interface FlashcardRequest {
  readonly count: number;
  readonly difficulty: CardDifficulty;
  readonly cardTypes: readonly CardType[];
  readonly topicHint?: string;
  /** Language of questions and explanations (default English). */
  readonly language?: FeedbackLanguage;
}

/** What the job returns (the shared result schema) and what it logs. */
export interface FlashcardPipelineOutput {
  readonly result: FlashcardSetResult;
  readonly diagnostics: FlashcardPipelineDiagnostics;
}

/** Details for logs and the local command: too verbose for the job record. */
interface FlashcardPipelineDiagnostics {
  readonly document: {
    readonly format: ParsedDocument['format'];
    readonly pageCount: number;
    readonly pagesWithText: number;
    readonly chunkCount: number;
    readonly title?: string;
  };
  /** The top hits of each query before merging and MMR. */
  readonly perQuery: readonly QueryHits[];
  readonly mmrLambda: number;
  readonly generation: { readonly rounds: number; readonly rejected: RejectionCounts };
}

/**
 * Document -> cited flashcards: parse, chunk, embed (through the cache) while Gemini plans the
 * queries, retrieve with cosine + MMR, write and check the cards.
 */
export async function runFlashcardPipeline(
  deps: FlashcardPipelineDeps,
  source: DocumentSource,
  request: FlashcardRequest,
): Promise<FlashcardPipelineOutput> {
  const { config, embedder, logger } = deps;
  const queryEmbedder = deps.queryEmbedder ?? embedder;
  if (queryEmbedder.modelId !== embedder.modelId || queryEmbedder.dimensions !== embedder.dimensions) {
    throw new Error('The query embedder must use the same model and dimensions as the chunk embedder');
  }
  const started = performance.now();
  const elapsed = (since: number) => Math.round(performance.now() - since);

  const parseStarted = performance.now();
  const document = await parseDocument(source, config.limits);
  const chunks = chunkPages(document.pages, config.chunking);
  if (chunks.length === 0) {
    throw new PermanentJobError('DOCUMENT_EMPTY', 'The document has no passage long enough to learn from');
  }
  const parseMs = elapsed(parseStarted);
  logger?.info('document parsed', {
    format: document.format,
    pages: document.pageCount,
    chunks: chunks.length,
  });

  // Embedding the chunks and planning the queries are independent: run them side by side.
  const [embedded, planned] = await Promise.all([
    timed(() => embedChunks(deps, source.bytes, chunks)),
    timed(() =>
      planQueries({
        model: deps.queryModel,
        document,
        ...(request.topicHint ? { topicHint: request.topicHint } : {}),
        config: config.queries,
      }),
    ),
  ]);
  const plan = planned.value;
  // The fallback rate is a metric (and alarm); a missing key is a configuration error of its own.
  opsMetrics.geminiQuery();
  if (plan.mode === 'fallback') {
    opsMetrics.geminiFallback();
    logger?.warn('using fallback keyword queries', { reason: plan.fallbackReason });
  }
  if (plan.keyMissing) {
    opsMetrics.geminiKeyMissing();
    logger?.warn(
      'CONFIGURATION ERROR: the Gemini API key secret has no usable value; set it (see the AI workers runbook)',
      { reason: plan.fallbackReason },
    );
  }

  const retrieveStarted = performance.now();
  const queryEmbeddings = await embedTexts(queryEmbedder, plan.queries, config.embedding.concurrency);
  const index = VectorIndex.fromVectors(embedded.value.vectors, embedder.dimensions);
  const retrieval = retrieve({
    index,
    chunks,
    queries: plan.queries,
    queryVectors: queryEmbeddings.vectors,
    count: contextChunkCount(request.count, chunks.length, config.retrieval),
    config: config.retrieval,
  });
  const retrieveMs = elapsed(retrieveStarted);

  const generateStarted = performance.now();
  const generation = await generateCards({
    model: deps.chatModel,
    context: retrieval.picked,
    count: request.count,
    difficulty: request.difficulty,
    cardTypes: request.cardTypes,
    ...(request.topicHint ? { topicHint: request.topicHint } : {}),
    language: request.language ?? 'en',
    config: config.generation,
  });
  const generateMs = elapsed(generateStarted);
  if (generation.cards.length === 0) {
    throw new PermanentJobError(
      'INSUFFICIENT_CONTENT',
      `No valid flashcard could be written from the document: ${generation.shortfallReason ?? 'no card was kept'}`,
      { rejected: generation.rejected },
    );
  }

  // Text and Markdown have no real pages: their citations carry no page number.
  const pageOf = (page: number) => (document.format === 'pdf' ? page : null);
  const result: FlashcardSetResult = {
    cards: generation.cards.map((card) => ({
      ...card,
      citations: card.citations.map((citation) => ({
        chunkId: citation.chunkId,
        page: pageOf(citation.page),
      })),
    })),
    requestedCount: request.count,
    ...(generation.shortfallReason ? { shortfallReason: generation.shortfallReason } : {}),
    retrieval: {
      queryMode: plan.mode,
      queries: [...plan.queries],
      chunksUsed: retrieval.picked.map(({ chunk }) => chunk.id),
      scores: Object.fromEntries(retrieval.picked.map(({ chunk, score }) => [chunk.id, round(score)])),
      ...(plan.fallbackReason ? { fallbackReason: plan.fallbackReason } : {}),
    },
    timings: {
      parseMs,
      embedMs: embedded.ms,
      queryPlanMs: planned.ms,
      retrieveMs,
      generateMs,
      totalMs: elapsed(started),
    },
    model: toModelUsageRecord(generation.model),
    embedding: {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      chunksEmbedded: embedded.value.cacheHit ? 0 : chunks.length,
      cacheHit: embedded.value.cacheHit,
      inputTokens: embedded.value.inputTokens + queryEmbeddings.inputTokens,
    },
    ...(plan.model ? { queryModel: { ...plan.model } } : {}),
    language: request.language ?? 'en',
  };
  return {
    result,
    diagnostics: {
      document: {
        format: document.format,
        pageCount: document.pageCount,
        pagesWithText: document.pages.length,
        chunkCount: chunks.length,
        ...(document.title ? { title: document.title } : {}),
      },
      perQuery: retrieval.perQuery.map((entry) => ({
        query: entry.query,
        hits: entry.hits.map((hit) => ({ chunkId: hit.chunkId, score: round(hit.score) })),
      })),
      mmrLambda: config.retrieval.mmrLambda,
      generation: { rounds: generation.rounds, rejected: generation.rejected },
    },
  };
}

interface EmbeddedChunks {
  readonly vectors: readonly Float32Array[];
  readonly cacheHit: boolean;
  readonly inputTokens: number;
}

/**
 * Chunk vectors from the cache when it has them for exactly these chunks, otherwise from the
 * embedder (and then stored). The cache is an optimisation: failing to read or write it is logged
 * and the job goes on.
 */
async function embedChunks(
  deps: FlashcardPipelineDeps,
  documentBytes: Uint8Array,
  chunks: readonly Chunk[],
): Promise<EmbeddedChunks> {
  const { embedder, embeddingStore, config, logger } = deps;
  const key = embeddingCacheKey({
    documentBytes,
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    normalized: embedder.normalized,
    chunking: config.chunking,
    maxInputChars: config.embedding.maxInputChars,
  });
  try {
    const cached = await embeddingStore.get(key);
    if (cached) {
      const aligned =
        cached.dimensions === embedder.dimensions &&
        cached.chunkIds.length === chunks.length &&
        cached.chunkIds.every((id, i) => id === chunks[i]!.id);
      if (aligned) {
        logger?.info('embedding cache hit', { key, chunks: chunks.length });
        return { vectors: cached.vectors, cacheHit: true, inputTokens: 0 };
      }
      logger?.warn('embedding cache entry does not match the chunks; re-embedding', { key });
    }
  } catch (error) {
    logger?.warn('embedding cache read failed; embedding instead', { key, error: (error as Error).message });
  }

  const { vectors, inputTokens } = await embedTexts(
    embedder,
    chunks.map((chunk) => chunk.text),
    config.embedding.concurrency,
  );
  try {
    await embeddingStore.put(key, {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      chunkIds: chunks.map((chunk) => chunk.id),
      vectors,
    });
  } catch (error) {
    logger?.warn('embedding cache write failed', { key, error: (error as Error).message });
  }
  return { vectors, cacheHit: false, inputTokens };
}

async function timed<T>(task: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await task();
  return { value, ms: Math.round(performance.now() - started) };
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
