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
