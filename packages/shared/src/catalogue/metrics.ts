/**
 * CloudWatch metrics the AI functions emit (Powertools EMF, namespace `Bandup/AI`) that alarms
 * watch, so the code that emits them and the infra that alarms on them share one spelling.
 */
export const AI_METRICS_NAMESPACE = 'Bandup/AI';

export const AI_METRIC_NAMES = {
  /** Jobs that reached SUCCEEDED / FAILED (dimension `kind`). */
  jobsSucceeded: 'JobsSucceeded',
  jobsFailed: 'JobsFailed',
  /** Dead messages the dead-letter function handled (dimension `kind`). */
  deadLetters: 'DeadLetters',
  /** Overdue jobs the sweeper had to resolve (no dimension): each one is a job something lost. */
  stuckJobs: 'StuckJobs',
  /** Flashcard jobs that asked Gemini for queries / fell back to keyword queries (no dimension). */
  geminiQueries: 'GeminiQueries',
  geminiFallbacks: 'GeminiFallbacks',
  /** A flashcard job found the Gemini key secret empty or unset: a configuration error. */
  geminiKeyMissing: 'GeminiKeyMissing',
  /** A model call still throttled by Bedrock after the SDK's own retries (no dimension). */
  bedrockThrottles: 'BedrockThrottles',
} as const;
