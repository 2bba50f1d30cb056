import { FlashcardSetResultSchema } from './flashcard-result.js';
import { SpeakingResultSchema } from './speaking-result.js';
import { WritingResultSchema } from './writing-result.js';
import * as z from './zod.js';

/** The result of a finished job, whichever its kind. */
export const JobResultSchema = z.union([WritingResultSchema, SpeakingResultSchema, FlashcardSetResultSchema]);
export type JobResult = z.infer<typeof JobResultSchema>;

/** The result schema of each job kind. */
export const JOB_RESULT_SCHEMAS = {
  writing: WritingResultSchema,
  speaking: SpeakingResultSchema,
  flashcards: FlashcardSetResultSchema,
} as const;
