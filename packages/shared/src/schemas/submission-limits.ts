import { JOB_KINDS, type JobKind } from '../names.js';
import type { LearnerTier } from './learner-tier.js';
import * as z from './zod.js';

/** Submissions a learner may make per day, per job kind (0 = the kind is not offered to the tier). */
export const DailyLimitsByKindSchema = z.strictObject(
  Object.fromEntries(JOB_KINDS.map((kind) => [kind, z.int().check(z.gte(0), z.lte(100_000))])) as Record<
    JobKind,
    z.ZodMiniNumberFormat
  >,
);
export type DailyLimitsByKind = Readonly<Record<JobKind, number>>;

/**
 * Per-learner daily submission limits, handed from infra config to the submit function as JSON in
 * `BANDUP_SUBMISSION_LIMITS`. A learner's day starts at midnight of `utcOffsetMinutes` (Vietnam:
 * +420), so a limit resets when the learner's own day does, not at 07:00 local time.
 */
export const SubmissionLimitsSchema = z.strictObject({
  utcOffsetMinutes: z.int().check(z.gte(-720), z.lte(840)),
  tiers: z.strictObject({
    free: DailyLimitsByKindSchema,
    premium: DailyLimitsByKindSchema,
  } satisfies Record<LearnerTier, unknown>),
});
export type SubmissionLimits = z.infer<typeof SubmissionLimitsSchema>;
