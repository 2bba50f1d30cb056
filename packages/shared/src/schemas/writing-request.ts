import { FeedbackLanguageSchema } from './feedback-language.js';
import { AttemptIdSchema, UserIdSchema } from './ids.js';
import { LearnerTierSchema } from './learner-tier.js';
import { NOT_BLANK } from './text.js';
import { WRITING_TASK_TYPES } from './writing-task-types.js';
import * as z from './zod.js';

/** Limits of a Writing submission (a real answer is 150-400 words; these only stop abuse). */
export const WRITING_LIMITS = {
  promptMinChars: 10,
  promptMaxChars: 2000,
  essayMinChars: 20,
  essayMaxChars: 12_000,
  essayMaxWords: 2000,
  visualDescriptionMaxChars: 4000,
} as const;

/** Invisible format characters (zero-width space and joiners, BOM, soft hyphen): never a word. */
export const INVISIBLE_FORMAT_CHARS = /\p{Cf}/gu;

/** Words as the under-length rule counts them: runs of visible non-space characters. */
export function countWords(text: string): number {
  const words = text.replace(INVISIBLE_FORMAT_CHARS, '').trim().split(/\s+/u);
  return words[0] === '' ? 0 : words.length;
}

/** Body of `POST /v1/writing/assessments`. */
export const WritingAssessmentRequestSchema = z
  .strictObject({
    userId: UserIdSchema,
    taskType: z.enum(WRITING_TASK_TYPES),
    /** The task prompt the learner answered. */
    prompt: z
      .string()
      .check(
        z.minLength(WRITING_LIMITS.promptMinChars),
        z.maxLength(WRITING_LIMITS.promptMaxChars),
        z.regex(NOT_BLANK, { message: 'Must not be blank' }),
      ),
    /** The learner's answer. */
    essay: z.string().check(
      z.minLength(WRITING_LIMITS.essayMinChars),
      z.maxLength(WRITING_LIMITS.essayMaxChars),
      z.regex(NOT_BLANK, { message: 'Must not be blank' }),
      z.refine((s) => countWords(s) <= WRITING_LIMITS.essayMaxWords, {
        message: `Must have at most ${WRITING_LIMITS.essayMaxWords} words`,
      }),
    ),
    /** Academic Task 1 only: a text description of the chart, table, map or process shown. */
    visualDescription: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(WRITING_LIMITS.visualDescriptionMaxChars),
          z.regex(NOT_BLANK, { message: 'Must not be blank' }),
        ),
    ),
    attemptId: z.optional(AttemptIdSchema),
    /** Language of the feedback (default `en`); quoted evidence stays verbatim English. */
    language: z.optional(FeedbackLanguageSchema),
    /** The learner's tier, for the daily submission limit (default `free`). */
    learnerTier: z.optional(LearnerTierSchema),
  })
  .check(
    z.superRefine(
      (value, ctx) => {
        if (value.visualDescription !== undefined && value.taskType !== 'task1-academic') {
          ctx.addIssue({
            code: 'custom',
            path: ['visualDescription'],
            message: `Only allowed when taskType is "task1-academic", not "${value.taskType}"`,
          });
        }
      },
      {
        // Report alongside other field errors, but only when taskType itself is valid.
        when: (payload) => {
          const v = payload.value as Record<string, unknown> | null;
          return (
            typeof v === 'object' &&
            v !== null &&
            v.visualDescription !== undefined &&
            (WRITING_TASK_TYPES as readonly unknown[]).includes(v.taskType)
          );
        },
      },
    ),
  );
export type WritingAssessmentRequest = z.infer<typeof WritingAssessmentRequestSchema>;
