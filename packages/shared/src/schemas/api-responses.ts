import { JOB_STATUSES } from '../names.js';
import { API_ERROR_CODES } from './api-error-codes.js';
import { JobIdSchema } from './ids.js';
import * as z from './zod.js';

/** `202 Accepted` answer to a submission: the job to poll at `GET /v1/jobs/{jobId}`. */
export const SubmitResponseSchema = z.strictObject({
  jobId: JobIdSchema,
  /**
   * `QUEUED` for a new job; when an `Idempotency-Key` replays an earlier submission, the status that
   * job has now (it may already be running or finished).
   */
  status: z.enum(JOB_STATUSES),
});
export type SubmitResponse = z.infer<typeof SubmitResponseSchema>;

/** One invalid field: a dotted path (`questions[2]`, `cardTypes`) and what is wrong with it. */
export const FieldErrorSchema = z.strictObject({
  path: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** Body of every 4xx/5xx answer; a 400 lists every invalid field. */
export const ApiErrorSchema = z.strictObject({
  message: z.string(),
  errors: z.optional(z.array(FieldErrorSchema)),
  /** Machine-readable reason, on answers a caller is expected to act on (see `API_ERROR_CODES`). */
  code: z.optional(z.enum(API_ERROR_CODES)),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
