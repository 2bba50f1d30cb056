import { BandSchema } from './band.js';
import { IsoDateTimeSchema, JobIdSchema } from './ids.js';
import { JobErrorCodeSchema } from './job-error.js';
import { JobKindSchema, type JobRecord, JobStatusSchema } from './job-record.js';
import * as z from './zod.js';

/** Page sizes of `GET /v1/jobs`. */
export const HISTORY_PAGE_SIZE = { default: 20, max: 100 } as const;

/** `limit` query parameter of `GET /v1/jobs`: a whole number 1-100, as text (query strings are text). */
export const HistoryLimitSchema = z.string().check(
  z.regex(/^[1-9][0-9]{0,2}$/, { message: `Must be a whole number from 1 to ${HISTORY_PAGE_SIZE.max}` }),
  z.refine((s) => Number(s) <= HISTORY_PAGE_SIZE.max, {
    message: `Must be a whole number from 1 to ${HISTORY_PAGE_SIZE.max}`,
  }),
);

/** The opaque `cursor` of `GET /v1/jobs`: pass back `nextCursor` unchanged. */
export const HistoryCursorSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(2048),
    z.regex(/^[A-Za-z0-9_-]+$/, { message: 'Must be a nextCursor returned by GET /v1/jobs' }),
  );

/** One job in a learner's history: status and timing, the failure reason, and the band when there is one. */
export const JobSummarySchema = z.strictObject({
  jobId: JobIdSchema,
  kind: JobKindSchema,
  status: JobStatusSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  startedAt: z.optional(IsoDateTimeSchema),
  finishedAt: z.optional(IsoDateTimeSchema),
  /** FAILED jobs: why (the full error is on `GET /v1/jobs/{jobId}`). */
  error: z.optional(z.strictObject({ code: JobErrorCodeSchema, message: z.string() })),
  /** SUCCEEDED Writing (task band) and Speaking (part band) jobs. */
  band: z.optional(BandSchema),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

/** Body of `GET /v1/jobs`: a learner's jobs, newest first. */
export const JobHistoryResponseSchema = z.strictObject({
  jobs: z.array(JobSummarySchema).check(z.maxLength(HISTORY_PAGE_SIZE.max)),
  /** Present when there are older jobs: pass it as `cursor` to get the next page. */
  nextCursor: z.optional(HistoryCursorSchema),
});
export type JobHistoryResponse = z.infer<typeof JobHistoryResponseSchema>;

/** The history view of a job record: no result body, the band when the inline result has one. */
export function toJobSummary(record: JobRecord): JobSummary {
  const result =
    record.status === 'SUCCEEDED' ? (record.result as Record<string, unknown> | undefined) : undefined;
  const band =
    record.kind === 'writing' ? result?.taskBand : record.kind === 'speaking' ? result?.band : undefined;
  return {
    jobId: record.jobId,
    kind: record.kind,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
    ...(record.finishedAt !== undefined && { finishedAt: record.finishedAt }),
    ...(record.error !== undefined && { error: { code: record.error.code, message: record.error.message } }),
    ...(typeof band === 'number' && { band }),
  };
}
