import { BandSchema } from '@bandup/shared';
import * as z from '@bandup/shared/zod';

/** Non-blank model text with an upper bound (keeps results small and stops runaway answers). */
export const answerText = (max: number) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => s.trim().length > 0, { message: 'Must not be blank' }),
  );

/** One criterion of an examiner answer. Feedback comes first so the model justifies before it scores. */
export const CriterionAnswerSchema = z.strictObject({
  feedback: answerText(1200),
  band: BandSchema,
});
