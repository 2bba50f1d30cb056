import { BandSchema, type FeedbackLanguage, WRITING_CRITERIA } from '@bandup/shared';
import * as z from '@bandup/shared/zod';
import { answerText } from './answer-fields.js';
import { fieldsNotIn } from './feedback-language.js';

/*
 * The JSON the examiner model must return for a Writing task. Strict objects: an extra key (an
 * "overall_band" the model was told not to give, a misspelt criterion) is a malformed answer that
 * goes to the repair round, never silently accepted or ignored. There is no overall band here at
 * all: the task band is computed from the four criterion bands by the shared band maths.
 */

const WritingCriterionAnswerSchema = z.strictObject({
  /** Written first, so the model justifies before it scores. */
  feedback: answerText(1200),
  /** Short observations or excerpts the judgement rests on. */
  evidence: z.array(answerText(300)).check(z.maxLength(4)),
  band: BandSchema,
});

const WritingAnswerSchema = z.strictObject({
  criteria: z.strictObject({
    /** Task Achievement (Task 1) or Task Response (Task 2). */
    taskAchievement: WritingCriterionAnswerSchema,
    coherenceCohesion: WritingCriterionAnswerSchema,
    lexicalResource: WritingCriterionAnswerSchema,
    grammaticalRangeAccuracy: WritingCriterionAnswerSchema,
  }),
  strengths: z.array(answerText(400)).check(z.minLength(1), z.maxLength(5)),
  improvements: z.array(answerText(400)).check(z.minLength(1), z.maxLength(5)),
  examples: z
    .array(
      z.strictObject({
        criterion: z.enum(WRITING_CRITERIA),
        /** An exact excerpt of the essay (kept only if it occurs verbatim). */
        quote: answerText(400),
        issue: answerText(400),
        suggestion: answerText(400),
      }),
    )
    .check(z.maxLength(8)),
});
export type WritingAnswer = z.infer<typeof WritingAnswerSchema>;

/**
 * The answer schema for a feedback language: for Vietnamese, every explanation (criterion feedback
 * and evidence notes, strengths, improvements, issues) must read as Vietnamese, so an answer in
 * English goes to the repair round with the fields named. Quotes and suggestions are the learner's
 * English and are not checked.
 */
export function writingAnswerSchema(language: FeedbackLanguage): z.core.$ZodType<WritingAnswer> {
  if (language === 'en') return WritingAnswerSchema;
  return WritingAnswerSchema.check(
    z.superRefine((answer, ctx) => {
      const fields = [
        ...WRITING_CRITERIA.flatMap((criterion) => [
          { path: ['criteria', criterion, 'feedback'], text: answer.criteria[criterion].feedback },
        ]),
        ...answer.strengths.map((text, i) => ({ path: ['strengths', i], text })),
        ...answer.improvements.map((text, i) => ({ path: ['improvements', i], text })),
        ...answer.examples.map((example, i) => ({ path: ['examples', i, 'issue'], text: example.issue })),
      ];
      for (const issue of fieldsNotIn(language, fields)) ctx.addIssue({ code: 'custom', ...issue });
    }),
  );
}
