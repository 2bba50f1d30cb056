import { z } from 'zod';
import { FeedbackLanguageSchema } from './feedback-language.js';
import { UserIdSchema } from './ids.js';
import { LearnerTierSchema } from './learner-tier.js';
import { NOT_BLANK } from './text.js';
import { keyBelongsToUser, uploadKeySchema } from './upload-key.js';

/** IELTS Speaking parts. */
export const SPEAKING_PARTS = [1, 2, 3] as const;
export type SpeakingPart = (typeof SPEAKING_PARTS)[number];

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
          .min(1)
          .max(SPEAKING_LIMITS.questionMaxChars)
          .regex(NOT_BLANK, { message: 'Must not be blank' }),
      )
      .min(SPEAKING_LIMITS.minQuestions)
      .max(SPEAKING_LIMITS.maxQuestions),
    /** `uploads/speaking/<userId>/<uuid>.<ext>`; the `<userId>` must be this request's `userId`. */
    audioKey: uploadKeySchema('speaking'),
    /** Language of the feedback (default `en`); quoted words stay verbatim English. */
    language: FeedbackLanguageSchema.optional(),
    /** The learner's tier, for the daily submission limit (default `free`). */
    learnerTier: LearnerTierSchema.optional(),
  })
  .superRefine(speakingOwner.check, { when: speakingOwner.when });
export type SpeakingAssessmentRequest = z.infer<typeof SpeakingAssessmentRequestSchema>;
