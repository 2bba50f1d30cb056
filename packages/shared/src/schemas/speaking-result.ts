import { taskBand } from '../bands/band-maths.js';
import { isBand } from '../bands/is-band.js';
import { BandSchema } from './band.js';
import { FeedbackLanguageSchema } from './feedback-language.js';
import { ModelUsageSchema } from './model-usage.js';
import { SPEAKING_PARTS } from './speaking-parts.js';
import * as z from './zod.js';

/** The four Speaking criteria. */
export const SPEAKING_CRITERIA = [
  'fluencyCoherence',
  'lexicalResource',
  'grammaticalRangeAccuracy',
  'pronunciation',
] as const;
export type SpeakingCriterion = (typeof SPEAKING_CRITERIA)[number];

/** Fluency features computed in code from Transcribe's word timings (not by the model). */
export const SpeakingFeaturesSchema = z.strictObject({
  /** From the first word's start to the last word's end. */
  durationSeconds: z.number().check(z.gte(0)),
  wordCount: z.int().check(z.gte(0)),
  wordsPerMinute: z.number().check(z.gte(0)),
  /** Gaps between words longer than 0.5 s. */
  pauseCount: z.int().check(z.gte(0)),
  /** Mean length of those pauses (0 when there are none). */
  meanPauseSeconds: z.number().check(z.gte(0)),
  fillerCount: z.int().check(z.gte(0)),
  fillersPer100Words: z.number().check(z.gte(0)),
  /** Mean Transcribe word confidence, 0-1. */
  meanConfidence: z.number().check(z.gte(0), z.lte(1)),
});
export type SpeakingFeatures = z.infer<typeof SpeakingFeaturesSchema>;

export const SpeakingCriterionAssessmentSchema = z.strictObject({
  band: BandSchema,
  feedback: z.string().check(z.minLength(1)),
});
export type SpeakingCriterionAssessment = z.infer<typeof SpeakingCriterionAssessmentSchema>;

/** Pronunciation is judged from a transcript and word confidences, so it is always stated as an estimate. */
export const PronunciationAssessmentSchema = z.strictObject({
  band: BandSchema,
  feedback: z.string().check(z.minLength(1)),
  estimated: z.literal(true),
});
export type PronunciationAssessment = z.infer<typeof PronunciationAssessmentSchema>;

export const SpeakingCriteriaSchema = z.strictObject({
  fluencyCoherence: SpeakingCriterionAssessmentSchema,
  lexicalResource: SpeakingCriterionAssessmentSchema,
  grammaticalRangeAccuracy: SpeakingCriterionAssessmentSchema,
  pronunciation: PronunciationAssessmentSchema,
});
export type SpeakingCriteria = z.infer<typeof SpeakingCriteriaSchema>;

/** Result of a Speaking job. `band` is always computed by the shared band maths, never the model's. */
export const SpeakingResultSchema = z
  .strictObject({
    part: z.literal(SPEAKING_PARTS),
    transcript: z.string(),
    features: SpeakingFeaturesSchema,
    criteria: SpeakingCriteriaSchema,
    band: BandSchema,
    model: ModelUsageSchema,
    /** Language of the feedback (absent on results from before it existed: `en`). */
    language: z.optional(FeedbackLanguageSchema),
  })
  .check(
    z.superRefine((result, ctx) => {
      // The contract, not just the worker, guarantees the reported band is the shared maths' result.
      const bands = SPEAKING_CRITERIA.map((c) => result.criteria[c].band);
      if (bands.every(isBand) && isBand(result.band) && taskBand(bands) !== result.band) {
        ctx.addIssue({
          code: 'custom',
          path: ['band'],
          message: `Must be taskBand(${bands.join(', ')}) = ${taskBand(bands)}, not ${result.band}`,
        });
      }
    }),
  );
export type SpeakingResult = z.infer<typeof SpeakingResultSchema>;
