import * as z from './zod.js';

/** What a job's model calls cost and took: recorded on every result. */
export const ModelUsageSchema = z.strictObject({
  modelId: z.string().check(z.minLength(1)),
  inputTokens: z.int().check(z.gte(0)),
  outputTokens: z.int().check(z.gte(0)),
  /** Total time spent in model calls, in milliseconds. */
  latencyMs: z.number().check(z.gte(0)),
  /** Number of model calls (2 when a repair round was needed). */
  calls: z.int().check(z.gte(1)),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;
