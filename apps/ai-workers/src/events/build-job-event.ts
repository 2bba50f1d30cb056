import {
  JOB_EVENT_SCHEMA_VERSION,
  JOB_EVENT_TYPES,
  type JobEvent,
  JobEventSchema,
  jobEventId,
} from '@bandup/shared';
import type { JobItem } from '../jobs/job-item.js';
import { describeIssues } from './describe-issues.js';
import { summarizeResult } from './result-summary.js';

/** A terminal job whose item cannot make a valid event (a missing field, an unknown error code). */
export class InvalidJobEventError extends Error {
  override readonly name = 'InvalidJobEventError';
}

export interface TerminalJob {
  readonly job: JobItem;
  /** The result of a SUCCEEDED job (inline on the item, or loaded from its S3 pointer). */
  readonly result?: unknown;
}

/**
 * The completion event of a job that has just reached SUCCEEDED or FAILED. Built only from the
 * stored item, so every delivery of the same stream record gives an identical event (same id, same
 * body). `occurredAt` is the job's `finishedAt`; the error's `details` (diagnostics such as a raw
 * model answer) stay out of the event.
 */
export function buildJobEvent({ job, result }: TerminalJob): JobEvent {
  const common = {
    schemaVersion: JOB_EVENT_SCHEMA_VERSION,
    jobId: job.jobId,
    userId: job.userId,
    kind: job.kind,
    occurredAt: job.finishedAt ?? job.updatedAt,
    attempts: job.attempts,
  };
  let candidate: unknown;
  if (job.status === 'SUCCEEDED') {
    candidate = {
      ...common,
      eventId: jobEventId(job.jobId, 'SUCCEEDED'),
      type: JOB_EVENT_TYPES.SUCCEEDED,
      status: 'SUCCEEDED',
      summary: summarizeResult(job.kind, job.jobId, result),
    };
  } else if (job.status === 'FAILED') {
    candidate = {
      ...common,
      eventId: jobEventId(job.jobId, 'FAILED'),
      type: JOB_EVENT_TYPES.FAILED,
      status: 'FAILED',
      error: { code: job.error?.code, message: job.error?.message },
    };
  } else {
    throw new InvalidJobEventError(`Job ${job.jobId}: status ${job.status} is not terminal`);
  }
  const checked = JobEventSchema.safeParse(candidate);
  if (!checked.success) {
    throw new InvalidJobEventError(
      `Job ${job.jobId}: cannot build its event: ${describeIssues(checked.error)}`,
    );
  }
  return checked.data;
}
