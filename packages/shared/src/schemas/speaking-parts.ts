/**
 * IELTS Speaking parts. Kept apart from the request schema so that result, band and event schemas can
 * name them without building the request schemas at every cold start.
 */
export const SPEAKING_PARTS = [1, 2, 3] as const;
export type SpeakingPart = (typeof SPEAKING_PARTS)[number];
