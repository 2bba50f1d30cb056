import { z } from 'zod';

/** What a job's model calls cost and took: recorded on every result. */
export const ModelUsageSchema = z.strictObject({
  modelId: z.string().min(1),
  inputTokens: z.int().min(0),
  outputTokens: z.int().min(0),
  /** Total time spent in model calls, in milliseconds. */
  latencyMs: z.number().min(0),
  /** Number of model calls (2 when a repair round was needed). */
  calls: z.int().min(1),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;
