import { z } from 'zod';
import { FeedbackLanguageSchema } from './feedback-language.js';
import { UserIdSchema } from './ids.js';
import { LearnerTierSchema } from './learner-tier.js';
import { NOT_BLANK } from './text.js';
import { keyBelongsToUser, uploadKeySchema } from './upload-key.js';

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

const documentOwner = keyBelongsToUser<{ userId: string; documentKey: string }>('documents', 'documentKey');

/** Body of `POST /v1/flashcards/sets`: a document already uploaded through `POST /v1/uploads`. */
export const FlashcardSetRequestSchema = z
  .strictObject({
    userId: UserIdSchema,
    /** `uploads/documents/<userId>/<uuid>.<pdf|txt|md>`; the `<userId>` must be this request's `userId`. */
    documentKey: uploadKeySchema('documents'),
    count: z.int().min(FLASHCARD_LIMITS.minCards).max(FLASHCARD_LIMITS.maxCards),
    difficulty: CardDifficultySchema,
    /** Which kinds of card to write; each at most once. */
    cardTypes: z
      .array(CardTypeSchema)
      .min(1)
      .max(CARD_TYPES.length)
      .refine((types) => new Set(types).size === types.length, { message: 'Must not repeat a card type' })
      .meta({ uniqueItems: true }),
    /** Steers the smart queries towards a topic of the document. */
    topicHint: z
      .string()
      .min(1)
      .max(FLASHCARD_LIMITS.topicHintMaxChars)
      .regex(NOT_BLANK, { message: 'Must not be blank' })
      .optional(),
    /** Language of questions and explanations (default `en`); English terms and quotes stay verbatim. */
    language: FeedbackLanguageSchema.optional(),
    /** The learner's tier, for the daily submission limit (default `free`). */
    learnerTier: LearnerTierSchema.optional(),
  })
  .superRefine(documentOwner.check, { when: documentOwner.when });
export type FlashcardSetRequest = z.infer<typeof FlashcardSetRequestSchema>;
