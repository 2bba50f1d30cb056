import type { Logger } from '@aws-lambda-powertools/logger';
import type { JobKind, JobMessage } from '@bandup/shared';
import type { ModelUsage } from '../clients/chat-model.js';

/** What a worker knows about the job it is running. */
export interface WorkerContext {
  readonly jobId: string;
  readonly userId: string;
  /** 1 on the first delivery, counted by the job store on each QUEUED/RUNNING -> RUNNING move. */
  readonly attempt: number;
  readonly logger: Logger;
  /** Milliseconds left before the Lambda times out. */
  remainingTimeMs(): number;
}

/** Model metadata recorded on the job (token usage, model id, latency). */
export interface ModelMetadata {
  readonly modelId: string;
  readonly usage: ModelUsage;
  readonly latencyMs: number;
  readonly calls: number;
}

/**
 * How a worker ended:
 * - `succeeded`: the runner moves the job RUNNING -> SUCCEEDED with `result`;
 * - `waiting`: the job stays RUNNING; another function finishes it (speaking waits for Transcribe).
 * Failures are thrown: PermanentJobError (FAILED, no retry) or anything else (classified, retried).
 */
type WorkerOutcome =
  | { readonly type: 'succeeded'; readonly result: unknown; readonly model?: ModelMetadata }
  /** `waitMs`: how long the other function may take before the sweeper looks at the job. */
  | { readonly type: 'waiting'; readonly reason: string; readonly waitMs: number };

/** The logic of one job kind, plugged into the SQS runner. */
export type JobWorker<K extends JobKind = JobKind> = (
  message: Extract<JobMessage, { kind: K }>,
  context: WorkerContext,
) => Promise<WorkerOutcome>;
