import { CARD_TYPES, type CardDifficulty, type CardType, type FeedbackLanguage } from '@bandup/shared';
import * as z from '@bandup/shared/zod';
import { looksVietnamese } from '../assess/feedback-language.js';
import { generateStructured } from '../assess/structured-output.js';
import type { ChatModel } from '../clients/chat-model.js';
import type { ModelMetadata } from '../runtime/job-worker.js';
import { sumModelRuns } from '../runtime/model-usage-record.js';
import { CARD_SYSTEM_PROMPT, cardPrompt } from './card-prompt.js';
import { DuplicateFilter } from './dedupe.js';
import type { GenerationConfig } from './rag-config.js';
import type { RetrievedChunk } from './retrieve.js';

/** A card as written and checked (the pipeline maps it to the shared `Flashcard`). */
interface GeneratedCard {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly type: CardType;
  readonly difficulty: CardDifficulty;
  readonly citations: readonly { readonly chunkId: string; readonly page: number }[];
}

/** Why cards the model wrote were not kept, counted over all calls. */
export interface RejectionCounts {
  /** Cited a passage id that was not given (or cited none). */
  unknownSource: number;
  /** A type that was not requested, or not a card type at all. */
  wrongType: number;
  /** Empty question or answer, or a fill-in-the-blank without a blank. */
  malformed: number;
  /** Same question as a card already kept (normalised token Jaccard >= threshold). */
  duplicate: number;
  /** Question or answer not in the requested language (Vietnamese cards written in English). */
  wrongLanguage: number;
}

export interface CardGenerationResult {
  readonly cards: readonly GeneratedCard[];
  readonly rejected: RejectionCounts;
  /** Rounds run: 1, plus the top-up rounds that were needed. */
  readonly rounds: number;
  readonly model: ModelMetadata;
  /** Set when fewer cards than requested could be kept. */
  readonly shortfallReason?: string;
}

export interface GenerateCardsInput {
  readonly model: ChatModel;
  readonly context: readonly RetrievedChunk[];
  readonly count: number;
  readonly difficulty: CardDifficulty;
  readonly cardTypes: readonly CardType[];
  readonly topicHint?: string;
  /** Language of questions and answers (default English); see `inRequestedLanguage`. */
  readonly language?: FeedbackLanguage;
  readonly config: GenerationConfig;
}

/**
 * Cards exactly as the model may write them. Per-card rules (known sources, requested types, a blank
 * in fill-in-the-blank cards) are checked card by card afterwards, so one bad card costs that card,
 * not a repair round for the whole answer.
 */
const ModelCardsSchema = z.object({
  cards: z.array(
    z.object({
      question: z.string(),
      answer: z.string(),
      type: z.string(),
      sources: z.array(z.string()),
    }),
  ),
});
type ModelCard = z.infer<typeof ModelCardsSchema>['cards'][number];

/** Cards asked for in one call: keeps one answer (about 150 tokens a card) well inside the token limit. */
export const MAX_CARDS_PER_CALL = 20;

/**
 * Writes `count` cards grounded on the retrieved passages: one round of calls for the whole count
 * (in batches of at most MAX_CARDS_PER_CALL), then `config.topUpRounds` rounds asking only for the
 * cards still missing after rejections and duplicates. Ends with exactly `count` cards, or fewer and
 * a `shortfallReason` that says why.
 */
export async function generateCards(input: GenerateCardsInput): Promise<CardGenerationResult> {
  const sourcesById = new Map(input.context.map(({ chunk }) => [chunk.id, chunk]));
  const allowedTypes = new Set<string>(input.cardTypes);
  const duplicates = new DuplicateFilter(input.config.duplicateThreshold);
  const rejected: RejectionCounts = {
    unknownSource: 0,
    wrongType: 0,
    malformed: 0,
    duplicate: 0,
    wrongLanguage: 0,
  };
  const language = input.language ?? 'en';
  const kept: GeneratedCard[] = [];
  const calls: ModelMetadata[] = [];

  const accept = (card: ModelCard): void => {
    const question = card.question.replace(/\s+/g, ' ').trim();
    const answer = card.answer.replace(/\s+/g, ' ').trim();
    const type = card.type.trim().toLowerCase();
    const citedIds = [...new Set(card.sources.map((id) => id.trim()))];
    if (citedIds.length === 0 || citedIds.some((id) => !sourcesById.has(id))) {
      rejected.unknownSource++;
      return;
    }
    if (!allowedTypes.has(type) || !(CARD_TYPES as readonly string[]).includes(type)) {
      rejected.wrongType++;
      return;
    }
    if (
      question.length < 5 ||
      answer.length === 0 ||
      (type === 'fill-in-the-blank' && !/_{3,}/.test(question))
    ) {
      rejected.malformed++;
      return;
    }
    if (!inRequestedLanguage(language, type as CardType, question, answer)) {
      rejected.wrongLanguage++;
      return;
    }
    if (!duplicates.accept(question)) {
      rejected.duplicate++;
      return;
    }
    kept.push({
      id: `card-${kept.length + 1}`,
      question,
      answer,
      type: type as CardType,
      difficulty: input.difficulty,
      citations: citedIds.map((chunkId) => ({ chunkId, page: sourcesById.get(chunkId)!.pageNumber })),
    });
  };

  const runRound = async (wanted: number): Promise<void> => {
    let remaining = wanted;
    while (remaining > 0 && kept.length < input.count) {
      const batch = Math.min(remaining, MAX_CARDS_PER_CALL);
      const { value, model } = await generateStructured({
        model: input.model,
        schema: ModelCardsSchema,
        system: CARD_SYSTEM_PROMPT,
        prompt: cardPrompt({
          context: input.context,
          count: batch,
          difficulty: input.difficulty,
          cardTypes: input.cardTypes,
          ...(input.topicHint ? { topicHint: input.topicHint } : {}),
          language,
          avoidQuestions: kept.map((card) => card.question),
        }),
        maxTokens: input.config.maxTokens,
        temperature: input.config.temperature,
        purpose: 'flashcard set',
        repairReminder:
          'no Markdown fences, no text before or after it; every card with "question", "answer", "type" and "sources" (passage ids as given).',
      });
      calls.push(model);
      // Every returned card is checked (a rejected one must not crowd out a good one after it);
      // checking stops once the set is full.
      for (const card of value.cards) {
        if (kept.length >= input.count) break;
        accept(card);
      }
      remaining -= batch;
    }
  };

  await runRound(input.count);
  let rounds = 1;
  for (let topUp = 0; topUp < input.config.topUpRounds && kept.length < input.count; topUp++) {
    // Ask for a few more than missing: some of them may be rejected too, and extras are cut below.
    const missing = input.count - kept.length;
    await runRound(missing + Math.min(3, Math.ceil(missing / 4)));
    rounds++;
  }

  const cards = kept;
  const result = { cards, rejected, rounds, model: sumModelRuns(calls, input.model.modelId) };
  if (cards.length >= input.count) return result;
  return { ...result, shortfallReason: shortfall(cards.length, input.count, input.context.length, rejected) };
}

/**
 * Vietnamese cards ask and explain in Vietnamese; a fill-in-the-blank card is a sentence of the
 * (English) source with its missing English word, so it is exempt. English needs no check.
 */
function inRequestedLanguage(
  language: FeedbackLanguage,
  type: CardType,
  question: string,
  answer: string,
): boolean {
  if (language !== 'vi' || type === 'fill-in-the-blank') return true;
  return looksVietnamese(question) && looksVietnamese(answer);
}

function shortfall(kept: number, wanted: number, passages: number, rejected: RejectionCounts): string {
  const reasons = [
    rejected.duplicate > 0 ? `${rejected.duplicate} duplicate(s) removed` : '',
    rejected.unknownSource > 0 ? `${rejected.unknownSource} citing passages that were not provided` : '',
    rejected.wrongType > 0 ? `${rejected.wrongType} of a type not requested` : '',
    rejected.malformed > 0 ? `${rejected.malformed} malformed` : '',
    rejected.wrongLanguage > 0 ? `${rejected.wrongLanguage} not in the requested language` : '',
  ].filter(Boolean);
  return (
    `Only ${kept} of ${wanted} requested cards could be written from ${passages} retrieved passage(s) of the document` +
    (reasons.length > 0 ? ` (rejected: ${reasons.join(', ')})` : '') +
    '; the document likely has too little distinct content for more.'
  );
}
