import type { JobError, JobRecord, JobStatus } from '@bandup/shared';
import type { ModelMetadata } from '../runtime/job-worker.js';

/** Why a job failed, as stored on the item and shown by the status API. */
export type JobFailure = JobError;

/**
 * A job as stored in DynamoDB: the shared `JobRecord` (timestamps are ISO-8601 strings so the by-user
 * index sorts on `createdAt`; `expiresAt` is epoch seconds for TTL; `resultPointer` is the S3 key
 * `results/<jobId>.json` of a result too large for the item) plus what only the workers use.
 */
export type JobItem = JobRecord & {
  /** Model metadata of the run (model id, token usage, latency, calls). */
  readonly model?: ModelMetadata;
  /** Why the latest attempt failed transiently (kept for the dead-letter reason). */
  readonly lastAttemptError?: string;
  /** Set when the job was marked FAILED because its message never reached the queue. */
  readonly enqueueFailed?: boolean;
  /** Error code of the latest failed attempt, when it had one (e.g. `DEADLINE_EXCEEDED`). */
  readonly lastAttemptCode?: string;
  /** The run holding the job (unique per delivery) and until when (epoch ms). */
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: number;
  /** Set while a RUNNING job waits for another function (speaking: Amazon Transcribe). */
  readonly waitingFor?: string;
  /** Sparse `by-deadline` index: present only on unfinished jobs. */
  readonly sweepShard?: string;
  /** Epoch ms after which the sweeper resolves the job (see `JOB_DEADLINES`). */
  readonly deadlineAt?: number;
};

export function isTerminal(status: JobStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}
