import { BandSchema } from './band.js';
import { JobIdSchema } from './ids.js';
import { SPEAKING_PARTS } from './speaking-parts.js';
import * as z from './zod.js';

/** Body of `GET /v1/writing/test-band`: the Writing band of a test from its Task 1 and Task 2 jobs. */
export const WritingTestBandResponseSchema = z.strictObject({
  /** `writingBand(task1.taskBand, task2.taskBand)`: Task 2 counts double. */
  band: BandSchema,
  task1: z.strictObject({
    jobId: JobIdSchema,
    taskType: z.enum(['task1-academic', 'task1-general']),
    taskBand: BandSchema,
  }),
  task2: z.strictObject({ jobId: JobIdSchema, taskBand: BandSchema }),
});
export type WritingTestBandResponse = z.infer<typeof WritingTestBandResponseSchema>;

const SpeakingCriterionBandsSchema = z.strictObject({
  fluencyCoherence: BandSchema,
  lexicalResource: BandSchema,
  grammaticalRangeAccuracy: BandSchema,
  /** Estimated from a transcript and recognition confidences, as in each part. */
  pronunciation: BandSchema,
});

/** Body of `GET /v1/speaking/test-band`: one Speaking band per criterion and overall, from parts 1-3. */
export const SpeakingTestBandResponseSchema = z.strictObject({
  /** `taskBand` of the four criterion bands. */
  band: BandSchema,
  /** Each criterion over the three parts (`speakingCriterionBand`: mean rounded down to a half band). */
  criteria: SpeakingCriterionBandsSchema,
  parts: z
    .array(
      z.strictObject({
        part: z.literal(SPEAKING_PARTS),
        jobId: JobIdSchema,
        band: BandSchema,
        criteria: SpeakingCriterionBandsSchema,
      }),
    )
    .check(z.length(3)),
});
export type SpeakingTestBandResponse = z.infer<typeof SpeakingTestBandResponseSchema>;
