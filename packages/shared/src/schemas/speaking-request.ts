import { FeedbackLanguageSchema } from './feedback-language.js';
import { UserIdSchema } from './ids.js';
import { LearnerTierSchema } from './learner-tier.js';
import { SPEAKING_PARTS } from './speaking-parts.js';
import { NOT_BLANK } from './text.js';
import { keyBelongsToUser, uploadKeySchema } from './upload-key.js';
import * as z from './zod.js';

export const SPEAKING_LIMITS = { minQuestions: 1, maxQuestions: 20, questionMaxChars: 500 } as const;

const speakingOwner = keyBelongsToUser<{ userId: string; audioKey: string }>('speaking', 'audioKey');

/** Body of `POST /v1/speaking/assessments`: a recording already uploaded through `POST /v1/uploads`. */
export const SpeakingAssessmentRequestSchema = z
  .strictObject({
    userId: UserIdSchema,
    part: z.literal(SPEAKING_PARTS),
    /** The questions the learner answered, in order. */
    questions: z
      .array(
        z
          .string()
          .check(
            z.minLength(1),
            z.maxLength(SPEAKING_LIMITS.questionMaxChars),
            z.regex(NOT_BLANK, { message: 'Must not be blank' }),
          ),
      )
      .check(z.minLength(SPEAKING_LIMITS.minQuestions), z.maxLength(SPEAKING_LIMITS.maxQuestions)),
    /** `uploads/speaking/<userId>/<uuid>.<ext>`; the `<userId>` must be this request's `userId`. */
    audioKey: uploadKeySchema('speaking'),
    /** Language of the feedback (default `en`); quoted words stay verbatim English. */
    language: z.optional(FeedbackLanguageSchema),
    /** The learner's tier, for the daily submission limit (default `free`). */
    learnerTier: z.optional(LearnerTierSchema),
  })
  .check(z.superRefine(speakingOwner.check, { when: speakingOwner.when }));
export type SpeakingAssessmentRequest = z.infer<typeof SpeakingAssessmentRequestSchema>;
