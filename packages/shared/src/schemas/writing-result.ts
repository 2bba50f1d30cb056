import { taskBand } from '../bands/band-maths.js';
import { isBand } from '../bands/is-band.js';
import { BandSchema } from './band.js';
import { FeedbackLanguageSchema } from './feedback-language.js';
import { ModelUsageSchema } from './model-usage.js';
import { WRITING_TASK_TYPES, type WritingTaskType } from './writing-task-types.js';
import * as z from './zod.js';

/**
 * The four Writing criteria. `taskAchievement` is Task Achievement for Task 1 and Task Response for
 * Task 2 (see `writingCriterionLabel`).
 */
export const WRITING_CRITERIA = [
  'taskAchievement',
  'coherenceCohesion',
  'lexicalResource',
  'grammaticalRangeAccuracy',
] as const;
export type WritingCriterion = (typeof WRITING_CRITERIA)[number];
export const WritingCriterionSchema = z.enum(WRITING_CRITERIA);

/** The criterion's public name for a task type. */
export function writingCriterionLabel(criterion: WritingCriterion, taskType: WritingTaskType): string {
  switch (criterion) {
    case 'taskAchievement':
      return taskType === 'task2' ? 'Task Response' : 'Task Achievement';
    case 'coherenceCohesion':
      return 'Coherence and Cohesion';
    case 'lexicalResource':
      return 'Lexical Resource';
    case 'grammaticalRangeAccuracy':
      return 'Grammatical Range and Accuracy';
  }
}

/** Minimum words of a task (150 for Task 1, 250 for Task 2); fewer is flagged as under length. */
export const WRITING_MINIMUM_WORDS: Readonly<Record<WritingTaskType, number>> = {
  'task1-academic': 150,
  'task1-general': 150,
  task2: 250,
};

/** One criterion's assessment: a half band, feedback, and the evidence the examiner relied on. */
export const WritingCriterionAssessmentSchema = z.strictObject({
  band: BandSchema,
  feedback: z.string().check(z.minLength(1)),
  evidence: z.array(z.string()),
});
export type WritingCriterionAssessment = z.infer<typeof WritingCriterionAssessmentSchema>;

export const WritingCriteriaSchema = z.strictObject({
  taskAchievement: WritingCriterionAssessmentSchema,
  coherenceCohesion: WritingCriterionAssessmentSchema,
  lexicalResource: WritingCriterionAssessmentSchema,
  grammaticalRangeAccuracy: WritingCriterionAssessmentSchema,
});
export type WritingCriteria = z.infer<typeof WritingCriteriaSchema>;

/** A passage quoted verbatim from the essay, what is wrong with it and a better version. */
export const WritingExampleSchema = z.strictObject({
  quote: z.string().check(z.minLength(1)),
  issue: z.string().check(z.minLength(1)),
  suggestion: z.string().check(z.minLength(1)),
  criterion: WritingCriterionSchema,
});
export type WritingExample = z.infer<typeof WritingExampleSchema>;

/** Result of a Writing job. `taskBand` is always computed by the shared band maths, never the model's. */
export const WritingResultSchema = z
  .strictObject({
    taskType: z.enum(WRITING_TASK_TYPES),
    criteria: WritingCriteriaSchema,
    taskBand: BandSchema,
    strengths: z.array(z.string().check(z.minLength(1))),
    improvements: z.array(z.string().check(z.minLength(1))),
    /** Only examples whose quote occurs verbatim in the essay are kept. */
    examples: z.array(WritingExampleSchema),
    /** Examples the model gave whose quote does not occur verbatim in the essay, and were dropped. */
    droppedExamples: z.optional(z.int().check(z.gte(0))),
    wordCount: z.int().check(z.gte(0)),
    underLength: z.boolean(),
    minimumWords: z.int().check(z.gte(0)),
    model: ModelUsageSchema,
    /** Language of feedback, strengths, improvements and issues (absent on results from before it existed: `en`). */
    language: z.optional(FeedbackLanguageSchema),
  })
  .check(
    z.superRefine((result, ctx) => {
      // The contract, not just the worker, guarantees the reported band is the shared maths' result.
      const bands = WRITING_CRITERIA.map((c) => result.criteria[c].band);
      if (bands.every(isBand) && isBand(result.taskBand) && taskBand(bands) !== result.taskBand) {
        ctx.addIssue({
          code: 'custom',
          path: ['taskBand'],
          message: `Must be taskBand(${bands.join(', ')}) = ${taskBand(bands)}, not ${result.taskBand}`,
        });
      }
      const minimum = WRITING_MINIMUM_WORDS[result.taskType];
      if (result.minimumWords !== minimum) {
        ctx.addIssue({
          code: 'custom',
          path: ['minimumWords'],
          message: `Must be ${minimum} for ${result.taskType}, not ${result.minimumWords}`,
        });
      }
      if (result.underLength !== result.wordCount < result.minimumWords) {
        ctx.addIssue({
          code: 'custom',
          path: ['underLength'],
          message: `Must be ${!result.underLength} for ${result.wordCount} words (minimum ${result.minimumWords})`,
        });
      }
    }),
  );
export type WritingResult = z.infer<typeof WritingResultSchema>;
