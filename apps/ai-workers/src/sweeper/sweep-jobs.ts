import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  type EnvironmentName,
  type TranscribeStateChangeEvent,
  TranscribeStateChangeEventSchema,
  transcriptionJobName,
} from '@bandup/shared';
import type { TranscriptionJobState, TranscriptionJobs } from '../clients/transcribe.js';
import { JOB_DEADLINES } from '../jobs/job-deadlines.js';
import type { JobItem } from '../jobs/job-item.js';
import type { JobStore } from '../jobs/job-store.js';

export interface SweeperDeps {
  readonly store: Pick<JobStore, 'listOverdue' | 'failOverdue' | 'extendDeadline'>;
  readonly transcription: Pick<TranscriptionJobs, 'get'>;
  /**
   * Only a speaking job whose Transcribe completion event was lost needs SQS, so the client (and the
   * SQS SDK, see the send below) may be given as a loader and is then loaded on such a job.
   */
  readonly sqs: SQSClient | (() => Promise<SQSClient>);
  /** The speaking-finalize queue: a lost Transcribe completion event is sent there again. */
  readonly finalizeQueueUrl: string;
  readonly environment: EnvironmentName;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Overdue jobs handled per run (the rest wait for the next run). Default 200. */
  readonly batchSize?: number;
}

/** What the sweeper did with one overdue job. */
type SweepAction =
  /** Failed `TIMED_OUT`. */
  | 'timed-out'
  /** Transcribe had finished but its event was lost: the event was sent to speaking-finalize again. */
  | 'event-resent'
  /** Transcribe is still working on it: the deadline was pushed back. */
  | 'extended'
  /** The job moved on between the listing and the action (finished, restarted, leased). */
  | 'skipped'
  | 'error';

export interface SweepReport {
  readonly overdue: number;
  readonly actions: Readonly<Record<SweepAction, number>>;
}

const TIMED_OUT_MESSAGE = 'The job did not finish in time and was stopped; please submit it again';

/**
 * The `sweeper` function, on a schedule: resolves unfinished jobs past their deadline (see
 * `JOB_DEADLINES`), the ones nothing else will finish.
 *
 * - A Speaking job waiting for Amazon Transcribe: Transcribe is asked. Finished (COMPLETED or
 *   FAILED) -> the state-change event was lost, so one is sent to speaking-finalize, which finishes
 *   the job the usual way (it re-reads Transcribe's answer) and the deadline moves on; still working
 *   -> the deadline moves on, until the job is `maxAgeMs` old; unknown to Transcribe -> `TIMED_OUT`.
 * - Any other job (QUEUED whose message was lost, RUNNING whose runs all died): `TIMED_OUT`.
 *
 * Each step is a conditional write that re-checks the deadline and the lease, so a job that moved
 * on after the listing is left alone. Completion events follow from the table's stream as for any
 * other terminal transition. One job's failure does not stop the sweep; the run throws at the end
 * (so the function's error alarm fires) when any job could not be handled.
 */
export async function sweepJobs(deps: SweeperDeps): Promise<SweepReport> {
  const now = deps.now ?? (() => new Date());
  const overdue = await deps.store.listOverdue(deps.batchSize ?? 200);
  const actions: Record<SweepAction, number> = {
    'timed-out': 0,
    'event-resent': 0,
    extended: 0,
    skipped: 0,
    error: 0,
  };
  for (const job of overdue) {
    const log = deps.logger.createChild({ persistentKeys: { jobId: job.jobId, kind: job.kind } });
    try {
      const action = await resolveOverdue(deps, job, now());
      actions[action] += 1;
      log.info('Overdue job resolved', { action, status: job.status, waitingFor: job.waitingFor });
    } catch (error) {
      actions.error += 1;
      log.error('Could not resolve an overdue job', { error: error as Error });
    }
  }
  if (actions.error > 0) {
    throw new Error(`Sweeper: ${actions.error} of ${overdue.length} overdue job(s) could not be resolved`);
  }
  return { overdue: overdue.length, actions };
}

async function resolveOverdue(deps: SweeperDeps, job: JobItem, now: Date): Promise<SweepAction> {
  if (job.kind !== 'speaking' || job.waitingFor === undefined) return timeOut(deps, job);
  const jobName = transcriptionJobName(deps.environment, job.jobId);
  const state = await transcriptionState(deps, jobName);
  if (!state) return timeOut(deps, job, 'The recording was not transcribed');
  if (state.status === 'COMPLETED' || state.status === 'FAILED') {
    const event: TranscribeStateChangeEvent = TranscribeStateChangeEventSchema.parse({
      version: '0',
      id: `sweeper-${job.jobId}-${now.getTime()}`,
      'detail-type': 'Transcribe Job State Change',
      source: 'aws.transcribe',
      time: now.toISOString(),
      resources: [],
      detail: {
        TranscriptionJobName: jobName,
        TranscriptionJobStatus: state.status,
        ...(state.failureReason ? { FailureReason: state.failureReason } : {}),
      },
    });
    // Extend first: if the send then fails, the next run tries again once the extension passes.
    if (!(await deps.store.extendDeadline(job.jobId, JOB_DEADLINES.sweepRetryMs))) return 'skipped';
    const [sqs, { SendMessageCommand }] = await Promise.all([
      typeof deps.sqs === 'function' ? deps.sqs() : deps.sqs,
      import('@aws-sdk/client-sqs'),
    ]);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.finalizeQueueUrl,
        MessageBody: JSON.stringify(event),
        MessageAttributes: { source: { DataType: 'String', StringValue: 'sweeper' } },
      }),
    );
    return 'event-resent';
  }
  if (now.getTime() - Date.parse(job.createdAt) > JOB_DEADLINES.maxAgeMs) {
    return timeOut(deps, job, 'The recording took too long to transcribe');
  }
  return (await deps.store.extendDeadline(job.jobId, JOB_DEADLINES.sweepRetryMs)) ? 'extended' : 'skipped';
}

async function timeOut(deps: SweeperDeps, job: JobItem, cause?: string): Promise<SweepAction> {
  const failed = await deps.store.failOverdue(job.jobId, {
    code: 'TIMED_OUT',
    message: cause ? `${cause}. ${TIMED_OUT_MESSAGE}` : TIMED_OUT_MESSAGE,
    details: {
      status: job.status,
      ...(job.waitingFor ? { waitingFor: job.waitingFor } : {}),
      ...(job.lastAttemptError ? { lastAttemptError: job.lastAttemptError } : {}),
    },
  });
  return failed ? 'timed-out' : 'skipped';
}

/** Transcribe's view of the job, or undefined when Transcribe has no such job (never started, or expired). */
async function transcriptionState(
  deps: SweeperDeps,
  jobName: string,
): Promise<TranscriptionJobState | undefined> {
  try {
    return await deps.transcription.get(jobName);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'BadRequestException' && /couldn't be found|not found/i.test(message)) return undefined;
    throw error;
  }
}
