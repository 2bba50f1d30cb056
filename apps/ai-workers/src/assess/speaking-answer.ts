import { type FeedbackLanguage, SPEAKING_CRITERIA } from '@bandup/shared';
import * as z from '@bandup/shared/zod';
import { CriterionAnswerSchema } from './answer-fields.js';
import { fieldsNotIn } from './feedback-language.js';

/**
 * The JSON the examiner model must return for a Speaking answer. Strict, with no overall band: the
 * band is computed from the four criterion bands by the shared band maths.
 */
const SpeakingAnswerSchema = z.strictObject({
  criteria: z.strictObject({
    fluencyCoherence: CriterionAnswerSchema,
    lexicalResource: CriterionAnswerSchema,
    grammaticalRangeAccuracy: CriterionAnswerSchema,
    pronunciation: CriterionAnswerSchema,
  }),
});
export type SpeakingAnswer = z.infer<typeof SpeakingAnswerSchema>;

/** The answer schema for a feedback language: for Vietnamese, every criterion's feedback must read as Vietnamese. */
export function speakingAnswerSchema(language: FeedbackLanguage): z.core.$ZodType<SpeakingAnswer> {
  if (language === 'en') return SpeakingAnswerSchema;
  return SpeakingAnswerSchema.check(
    z.superRefine((answer, ctx) => {
      const fields = SPEAKING_CRITERIA.map((criterion) => ({
        path: ['criteria', criterion, 'feedback'],
        text: answer.criteria[criterion].feedback,
      }));
      for (const issue of fieldsNotIn(language, fields)) ctx.addIssue({ code: 'custom', ...issue });
    }),
  );
}
