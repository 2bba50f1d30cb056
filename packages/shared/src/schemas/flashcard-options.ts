import * as z from './zod.js';

/*
 * What a flashcard set can be asked for: card types, difficulties and size limits. Kept apart from the
 * request schema so that the result schema can name them without building the request schema (and its
 * upload-key checks) at every cold start.
 */

export const CARD_TYPES = [
  'definition',
  'vocabulary',
  'fill-in-the-blank',
  'comprehension',
  'application',
] as const;
export type CardType = (typeof CARD_TYPES)[number];
export const CardTypeSchema = z.enum(CARD_TYPES);

export const CARD_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type CardDifficulty = (typeof CARD_DIFFICULTIES)[number];
export const CardDifficultySchema = z.enum(CARD_DIFFICULTIES);

export const FLASHCARD_LIMITS = { minCards: 1, maxCards: 50, topicHintMaxChars: 200 } as const;
