import type { SpeakingPart } from '@bandup/shared';

/**
 * Longest recording accepted per Speaking part, checked before Transcribe is called (Transcribe bills
 * per second, and an over-long file is not a Speaking answer). The real test runs Part 1 and Part 3
 * for 4-5 minutes each and Part 2 for a 1-2 minute talk; the limits leave a margin above that.
 */
export const SPEAKING_MAX_SECONDS_BY_PART: Readonly<Record<SpeakingPart, number>> = {
  1: 300,
  2: 180,
  3: 300,
};

/**
 * Transcription language. IELTS candidates speak with every accent; British English matches the
 * test's reference variety, and Transcribe's English models handle other accents within a variant.
 */
export const SPEAKING_LANGUAGE_CODE = 'en-GB' as const;
