import * as z from '@bandup/shared/zod';
import { CriterionAnswerSchema } from './answer-fields.js';

/**
 * The JSON the examiner model must return for a Speaking answer. Strict, with no overall band: the
 * band is computed from the four criterion bands by the shared band maths.
 */
export const SpeakingAnswerSchema = z.strictObject({
  criteria: z.strictObject({
    fluencyCoherence: CriterionAnswerSchema,
    lexicalResource: CriterionAnswerSchema,
    grammaticalRangeAccuracy: CriterionAnswerSchema,
    pronunciation: CriterionAnswerSchema,
  }),
});
export type SpeakingAnswer = z.infer<typeof SpeakingAnswerSchema>;
