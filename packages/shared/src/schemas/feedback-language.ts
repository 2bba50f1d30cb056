import * as z from './zod.js';

/**
 * Languages feedback and explanations can be written in. Learners are Vietnamese, so `vi` is offered
 * next to `en`; whatever the language, text quoted from the learner stays verbatim English.
 */
export const FEEDBACK_LANGUAGES = ['en', 'vi'] as const;
export type FeedbackLanguage = (typeof FEEDBACK_LANGUAGES)[number];
export const FeedbackLanguageSchema = z.enum(FEEDBACK_LANGUAGES);

/** The language of a request that names none. */
export const DEFAULT_FEEDBACK_LANGUAGE: FeedbackLanguage = 'en';

/** The language a request asked for, or the default. */
export function feedbackLanguageOf(request: { readonly language?: FeedbackLanguage }): FeedbackLanguage {
  return request.language ?? DEFAULT_FEEDBACK_LANGUAGE;
}
