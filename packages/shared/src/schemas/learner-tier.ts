import * as z from './zod.js';

/**
 * Subscription tiers of a learner, asserted by the backend on each submission. Each tier has its own
 * daily submission limits per job kind (infra config `ai.learnerDailyLimits`).
 */
export const LEARNER_TIERS = ['free', 'premium'] as const;
export type LearnerTier = (typeof LEARNER_TIERS)[number];
export const LearnerTierSchema = z.enum(LEARNER_TIERS);

/** The tier of a submission that names none. */
export const DEFAULT_LEARNER_TIER: LearnerTier = 'free';
