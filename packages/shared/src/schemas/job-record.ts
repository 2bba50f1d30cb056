import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus, S3_PREFIXES } from '../names.js';
import { IdempotencyKeySchema, IsoDateTimeSchema, JobIdSchema, UserIdSchema } from './ids.js';
import { JobErrorSchema } from './job-error.js';
import { JOB_RESULT_SCHEMAS, JobResultSchema } from './job-result.js';
import * as z from './zod.js';

interface JobStateFields {
  kind: JobKind;
  status: JobStatus;
  result?: unknown;
  error?: unknown;
  resultPointer?: string;
}

/**
 * Cross-field rules of a job: a SUCCEEDED job has a result (inline or, in the store, behind a
 * pointer), a FAILED job has an error, and a result is of the job's own kind.
 */
function checkJobState(job: JobStateFields, ctx: z.core.$RefinementCtx): void {
  if (job.status === 'SUCCEEDED' && job.result === undefined && job.resultPointer === undefined) {
    ctx.addIssue({ code: 'custom', path: ['result'], message: 'Required when status is SUCCEEDED' });
  }
  if (job.status === 'FAILED' && job.error === undefined) {
    ctx.addIssue({ code: 'custom', path: ['error'], message: 'Required when status is FAILED' });
  }
  if (job.result !== undefined && !JOB_RESULT_SCHEMAS[job.kind].safeParse(job.result).success) {
    ctx.addIssue({ code: 'custom', path: ['result'], message: `Not a result of a ${job.kind} job` });
  }
}

export const JobKindSchema = z.enum(JOB_KINDS);
export const JobStatusSchema = z.enum(JOB_STATUSES);

/**
 * A job as the jobs table keeps it. `result` is inline when it fits an item; otherwise
 * `resultPointer` names the S3 object (`results/<jobId>.json`) holding it.
 */
export const JobRecordSchema = z
  .object({
    jobId: JobIdSchema,
    userId: UserIdSchema,
    kind: JobKindSchema,
    status: JobStatusSchema,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    startedAt: z.optional(IsoDateTimeSchema),
    finishedAt: z.optional(IsoDateTimeSchema),
    /** Times a worker started the job (SQS receives that reached it). */
    attempts: z.int().check(z.gte(0)),
    idempotencyKey: z.optional(IdempotencyKeySchema),
    /** Hash of the submitted body, so a reused idempotency key with a different body is detected. */
    requestHash: z.optional(z.string().check(z.minLength(1))),
    error: z.optional(JobErrorSchema),
    result: z.optional(JobResultSchema),
    resultPointer: z.optional(
      z
        .string()
        .check(z.startsWith(S3_PREFIXES.results, { message: `Must be a key under ${S3_PREFIXES.results}` })),
    ),
    /** DynamoDB TTL: epoch seconds. */
    expiresAt: z.int().check(z.gte(0)),
    /** IAM ARN of the API caller that submitted the job. */
    principal: z.string().check(z.minLength(1)),
  })
  .check(z.superRefine(checkJobState));
export type JobRecord = z.infer<typeof JobRecordSchema>;

/** Body of `GET /v1/jobs/{jobId}`. */
export const JobStatusResponseSchema = z
  .strictObject({
    jobId: JobIdSchema,
    kind: JobKindSchema,
    status: JobStatusSchema,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    startedAt: z.optional(IsoDateTimeSchema),
    finishedAt: z.optional(IsoDateTimeSchema),
    attempts: z.int().check(z.gte(0)),
    error: z.optional(JobErrorSchema),
    result: z.optional(JobResultSchema),
  })
  .check(z.superRefine(checkJobState));
export type JobStatusResponse = z.infer<typeof JobStatusResponseSchema>;

/** The public view of a job record (drops owner, principal, idempotency data and storage details). */
export function toJobStatusResponse(
  record: JobRecord,
  result?: JobStatusResponse['result'],
): JobStatusResponse {
  return {
    jobId: record.jobId,
    kind: record.kind,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
    ...(record.finishedAt !== undefined && { finishedAt: record.finishedAt }),
    attempts: record.attempts,
    ...(record.error !== undefined && { error: record.error }),
    ...((result ?? record.result) !== undefined && { result: result ?? record.result }),
  };
}
