import { FeedbackLanguageSchema } from './feedback-language.js';
import { CARD_TYPES, CardDifficultySchema, CardTypeSchema, FLASHCARD_LIMITS } from './flashcard-options.js';
import { UserIdSchema } from './ids.js';
import { LearnerTierSchema } from './learner-tier.js';
import { NOT_BLANK } from './text.js';
import { keyBelongsToUser, uploadKeySchema } from './upload-key.js';
import * as z from './zod.js';

const documentOwner = keyBelongsToUser<{ userId: string; documentKey: string }>('documents', 'documentKey');

/** Body of `POST /v1/flashcards/sets`: a document already uploaded through `POST /v1/uploads`. */
export const FlashcardSetRequestSchema = z
  .strictObject({
    userId: UserIdSchema,
    /** `uploads/documents/<userId>/<uuid>.<pdf|txt|md>`; the `<userId>` must be this request's `userId`. */
    documentKey: uploadKeySchema('documents'),
    count: z.int().check(z.gte(FLASHCARD_LIMITS.minCards), z.lte(FLASHCARD_LIMITS.maxCards)),
    difficulty: CardDifficultySchema,
    /** Which kinds of card to write; each at most once. */
    cardTypes: z.array(CardTypeSchema).check(
      z.minLength(1),
      z.maxLength(CARD_TYPES.length),
      z.refine((types) => new Set(types).size === types.length, { message: 'Must not repeat a card type' }),
      z.meta({ uniqueItems: true }),
    ),
    /** Steers the smart queries towards a topic of the document. */
    topicHint: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(FLASHCARD_LIMITS.topicHintMaxChars),
          z.regex(NOT_BLANK, { message: 'Must not be blank' }),
        ),
    ),
    /** Language of questions and explanations (default `en`); English terms and quotes stay verbatim. */
    language: z.optional(FeedbackLanguageSchema),
    /** The learner's tier, for the daily submission limit (default `free`). */
    learnerTier: z.optional(LearnerTierSchema),
  })
  .check(z.superRefine(documentOwner.check, { when: documentOwner.when }));
export type FlashcardSetRequest = z.infer<typeof FlashcardSetRequestSchema>;
