import { FeedbackLanguageSchema } from './feedback-language.js';
import { CardDifficultySchema, CardTypeSchema, FLASHCARD_LIMITS } from './flashcard-options.js';
import { ModelUsageSchema } from './model-usage.js';
import * as z from './zod.js';

/** Where a card's content comes from: a retrieved chunk and its page (null for text and Markdown). */
export const CitationSchema = z.strictObject({
  chunkId: z.string().check(z.minLength(1)),
  page: z.nullable(z.int().check(z.gte(1))),
});
export type Citation = z.infer<typeof CitationSchema>;

export const FlashcardSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  question: z.string().check(z.minLength(1)),
  answer: z.string().check(z.minLength(1)),
  type: CardTypeSchema,
  difficulty: CardDifficultySchema,
  /** Every card cites at least one chunk it was generated from. */
  citations: z.array(CitationSchema).check(z.minLength(1)),
});
export type Flashcard = z.infer<typeof FlashcardSchema>;

export const QUERY_MODES = ['model', 'fallback'] as const;
export type QueryMode = (typeof QUERY_MODES)[number];

/** How the chunks were found: smart queries from Gemini (`model`) or keyword queries (`fallback`). */
export const RetrievalSummarySchema = z.strictObject({
  queryMode: z.enum(QUERY_MODES),
  queries: z.array(z.string().check(z.minLength(1))),
  /** Ids of the chunks given to the card model, in rank order. */
  chunksUsed: z.array(z.string().check(z.minLength(1))),
  /** Retrieval score per chunk id. */
  scores: z.record(z.string(), z.number()),
  /** Why the fallback queries were used (Gemini not configured, down, timed out, or answered badly). */
  fallbackReason: z.optional(z.string().check(z.minLength(1))),
});
export type RetrievalSummary = z.infer<typeof RetrievalSummarySchema>;

/** The embedding step: model, dimensions, and whether the document's embeddings came from the cache. */
export const EmbeddingUsageSchema = z.strictObject({
  modelId: z.string().check(z.minLength(1)),
  dimensions: z.int().check(z.gte(1)),
  /** Chunks embedded by this job (0 on a cache hit). */
  chunksEmbedded: z.int().check(z.gte(0)),
  cacheHit: z.boolean(),
  /** Tokens billed by the embedding model for this job (chunks and queries; 0 when all were cached). */
  inputTokens: z.optional(z.int().check(z.gte(0))),
});
export type EmbeddingUsage = z.infer<typeof EmbeddingUsageSchema>;

/** Result of a flashcards job. Fewer cards than requested only with a `shortfallReason`. */
export const FlashcardSetResultSchema = z
  .strictObject({
    cards: z.array(FlashcardSchema).check(z.maxLength(FLASHCARD_LIMITS.maxCards)),
    requestedCount: z.int().check(z.gte(FLASHCARD_LIMITS.minCards), z.lte(FLASHCARD_LIMITS.maxCards)),
    shortfallReason: z.optional(z.string().check(z.minLength(1))),
    retrieval: RetrievalSummarySchema,
    /** Milliseconds per stage (parse, chunk, embed, queries, retrieve, generate, total). */
    timings: z.record(z.string(), z.number().check(z.gte(0))),
    /** The card-writing model's usage. */
    model: ModelUsageSchema,
    embedding: EmbeddingUsageSchema,
    /** The query planner's usage (Gemini), when it wrote the queries. */
    queryModel: z.optional(ModelUsageSchema),
    /** Language of questions and answers (absent on results from before it existed: `en`). */
    language: z.optional(FeedbackLanguageSchema),
  })
  .check(
    z.superRefine((result, ctx) => {
      if (result.retrieval.queryMode === 'fallback' && result.queryModel !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['queryModel'],
          message: 'Must be absent when queryMode is "fallback"',
        });
      }
      if (result.cards.length > result.requestedCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['cards'],
          message: `Has ${result.cards.length} cards, more than the ${result.requestedCount} requested`,
        });
      }
      // Cards may cite only chunks that were given to the model.
      const provided = new Set(result.retrieval.chunksUsed);
      const ids = new Set<string>();
      result.cards.forEach((card, i) => {
        if (ids.has(card.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['cards', i, 'id'],
            message: `Duplicate card id "${card.id}"`,
          });
        }
        ids.add(card.id);
        card.citations.forEach((citation, j) => {
          if (!provided.has(citation.chunkId)) {
            ctx.addIssue({
              code: 'custom',
              path: ['cards', i, 'citations', j, 'chunkId'],
              message: `Cites chunk "${citation.chunkId}", which is not in retrieval.chunksUsed`,
            });
          }
        });
      });
      if (result.cards.length < result.requestedCount && result.shortfallReason === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['shortfallReason'],
          message: `Required when fewer cards (${result.cards.length}) than requested (${result.requestedCount}) are returned`,
        });
      }
    }),
  );
export type FlashcardSetResult = z.infer<typeof FlashcardSetResultSchema>;
