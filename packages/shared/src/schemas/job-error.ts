import * as z from './zod.js';

/**
 * Why a job failed. Workers fail a job at once (no retry) with the input/content codes and after
 * exhausting retries with `RETRIES_EXHAUSTED`; `INTERNAL_ERROR` is a bug.
 */
export const JOB_ERROR_CODES = [
  /** The message or its payload did not match the schema. */
  'INVALID_INPUT',
  /** The uploaded object named by the request does not exist. */
  'UPLOAD_NOT_FOUND',
  /** The uploaded object has a content type or extension that is not allowed. */
  'UNSUPPORTED_MEDIA',
  /** The uploaded object is larger than the kind's limit. */
  'FILE_TOO_LARGE',
  /** The recording is longer than the Speaking duration limit. */
  'AUDIO_TOO_LONG',
  /** The document cannot be read (corrupt, encrypted, image-only). */
  'DOCUMENT_UNREADABLE',
  /** The document has no text. */
  'DOCUMENT_EMPTY',
  /** The document has too many pages or too much text. */
  'DOCUMENT_TOO_LARGE',
  /** The model's answer was not valid JSON of the expected shape, even after a repair round. */
  'MODEL_OUTPUT_INVALID',
  /** Amazon Transcribe reported the transcription job as FAILED. */
  'TRANSCRIPTION_FAILED',
  /** The transcript has no words. */
  'TRANSCRIPT_EMPTY',
  /** Too little content to do the job (e.g. not enough text for the requested cards). */
  'INSUFFICIENT_CONTENT',
  /** A transient error persisted until the message reached its dead-letter queue. */
  'RETRIES_EXHAUSTED',
  /** An unexpected error (a bug). */
  'INTERNAL_ERROR',
  /** The document is within the size limits but too costly to parse (a PDF bomb, too many drawing operations). */
  'DOCUMENT_TOO_COMPLEX',
  /** The job stayed unfinished past its deadline (a lost message or Transcribe event); the sweeper ended it. */
  'TIMED_OUT',
  /** A run could not finish within its function's time limit, on every attempt. */
  'DEADLINE_EXCEEDED',
  /** An AI service refused the request as invalid or not permitted (validation, access denied, model not enabled). */
  'REQUEST_REJECTED',
] as const;
export const JobErrorCodeSchema = z.enum(JOB_ERROR_CODES);
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

/** The error recorded on a FAILED job. `details` holds diagnostics (e.g. the model's raw answer). */
export const JobErrorSchema = z.strictObject({
  code: JobErrorCodeSchema,
  message: z.string().check(z.minLength(1), z.maxLength(2000)),
  details: z.optional(z.record(z.string(), z.unknown())),
});
export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * The error the status API shows: a code and a message a learner can read, nothing else. Stored
 * `details` (raw model answers, service errors, object keys) never leave the service.
 */
export const PublicJobErrorSchema = z.strictObject({
  code: JobErrorCodeSchema,
  message: z.string().check(z.minLength(1), z.maxLength(2000)),
});
export type PublicJobError = z.infer<typeof PublicJobErrorSchema>;

/** What each code tells a learner when the stored message cannot be shown. */
export const LEARNER_ERROR_MESSAGES: Readonly<Record<JobErrorCode, string>> = {
  INVALID_INPUT: 'The request could not be processed; check it and submit it again.',
  UPLOAD_NOT_FOUND: 'The uploaded file could not be found; upload it again.',
  UNSUPPORTED_MEDIA: 'This type of file is not supported.',
  FILE_TOO_LARGE: 'The file is too large.',
  AUDIO_TOO_LONG: 'The recording is longer than allowed for this part of the test.',
  DOCUMENT_UNREADABLE: 'The document could not be read.',
  DOCUMENT_EMPTY: 'The document has no text to work with.',
  DOCUMENT_TOO_LARGE: 'The document is too long.',
  MODEL_OUTPUT_INVALID: 'The assessment could not be completed; please submit again.',
  TRANSCRIPTION_FAILED: 'The recording could not be transcribed.',
  TRANSCRIPT_EMPTY: 'No speech was recognised in the recording.',
  INSUFFICIENT_CONTENT: 'There is not enough content to complete this request.',
  RETRIES_EXHAUSTED: 'The service could not complete the job; please submit it again later.',
  INTERNAL_ERROR: 'Something went wrong on our side; please submit it again later.',
  DOCUMENT_TOO_COMPLEX:
    'The document is too complex to read; export it again as a plain PDF or upload its text.',
  TIMED_OUT: 'The job did not finish in time and was stopped; please submit it again.',
  DEADLINE_EXCEEDED: 'The job took too long to process; please submit it again later.',
  REQUEST_REJECTED: 'The service could not process this request; please submit it again later.',
};

/** Codes whose stored message is never shown: it may carry service internals. */
const ALWAYS_GENERIC: ReadonlySet<JobErrorCode> = new Set([
  'INTERNAL_ERROR',
  'RETRIES_EXHAUSTED',
  'REQUEST_REJECTED',
  'DEADLINE_EXCEEDED',
]);

/**
 * Text that must not reach a learner: ARNs, 12-digit account ids, S3 URIs and object keys of the
 * data bucket's prefixes, hostnames of AWS endpoints, and exception names.
 */
const INTERNAL_TEXT =
  /arn:aws|\b\d{12}\b|s3:\/\/|\b(uploads|results|transcripts|dead-letters|embeddings)\/|amazonaws\.com|[A-Z][A-Za-z]+Exception\b|\bat [\w.<>]+ \(/;

/**
 * The learner-safe view of a stored job error: the stored message when it was written for the
 * learner and carries nothing internal; otherwise the code's standard message.
 */
export function toPublicJobError(error: JobError): PublicJobError {
  const safe = !ALWAYS_GENERIC.has(error.code) && !INTERNAL_TEXT.test(error.message);
  return { code: error.code, message: safe ? error.message : LEARNER_ERROR_MESSAGES[error.code] };
}
