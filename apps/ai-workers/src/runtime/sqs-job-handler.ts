import type { Logger } from '@aws-lambda-powertools/logger';
import { formatIssues, JobIdSchema, type JobKind, type JobMessageOf, JobMessageSchema } from '@bandup/shared';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { JobItem } from '../jobs/job-item.js';
import type { JobStore } from '../jobs/job-store.js';
import { beforeDeadline } from './deadline.js';
import { classifyError } from './error-classification.js';
import { PermanentJobError } from './errors.js';
import { jobMetrics } from './job-metrics.js';
import type { JobWorker } from './job-worker.js';
import { logger as defaultLogger } from './observability.js';
import { isModelThrottle, opsMetrics } from './ops-metrics.js';
import { processRecords } from './process-records.js';

export interface SqsJobHandlerOptions<K extends JobKind> {
  /** The kind this function's queue carries; a message of another kind is invalid input. */
  readonly kind: K;
  readonly worker: JobWorker<K>;
  readonly store: Pick<JobStore, 'start' | 'succeed' | 'fail' | 'noteRetry' | 'wait'>;
  readonly logger?: Logger;
}

/** What happened to one record (each branch logs it; `handleJobRecord` returns it). */
export type RecordOutcome =
  | 'succeeded'
  | 'waiting'
  | 'failed'
  | 'invalid'
  | 'already-finished'
  | 'finished-concurrently'
  | 'already-waiting'
  | 'missing-job';

/** Margin added to the invocation's remaining time for the lease (clock skew between Lambda and DynamoDB). */
const LEASE_MARGIN_MS = 10_000;

/**
 * An SQS-triggered job function. For each record, concurrently, with a partial batch response:
 *
 * 1. Parse the body with the shared `JobMessageSchema`. A body that is not JSON or has no valid
 *    `jobId` cannot be tied to a job: it is reported failed, so after `maxReceiveCount` receives it
 *    reaches the DLQ and the dead-letter function archives it (nothing is dropped unseen). A body with
 *    a job id that fails the schema (or carries another kind) fails that job `INVALID_INPUT` with every
 *    bad field in `error.details`, and is acknowledged: redelivery cannot fix it.
 * 2. Move the job to RUNNING under a lease owned by this delivery (attempt counted). Already
 *    SUCCEEDED/FAILED (a redelivery, or a late duplicate): acknowledged, nothing changes. Held by a
 *    live lease of another delivery (a concurrent copy): reported failed, so it comes back after
 *    the visibility timeout and finds the job finished. Handed over to another function (`waiting`):
 *    acknowledged. Unknown job (expired by TTL): acknowledged, logged.
 * 3. Run the worker. `succeeded` -> SUCCEEDED with the result and model metadata (only by the lease
 *    holder); `waiting` -> the job stays RUNNING with `waitingFor` for another function to finish.
 * 4. Errors: `PermanentJobError` -> FAILED with its code, message and details, acknowledged. A
 *    worker still running when only `DEADLINE_MARGIN_MS` of the invocation is left is abandoned with
 *    a retryable `DEADLINE_EXCEEDED`, recorded on the job before Lambda would kill the function.
 *    Transient (throttling, 5xx, timeouts, network) and unexpected errors -> the error is noted on the
 *    job and the record is reported failed, so SQS redelivers it; after the last receive the DLQ
 *    and the dead-letter function take over (see `classifyError`).
 */
export function createSqsJobHandler<K extends JobKind>(options: SqsJobHandlerOptions<K>) {
  const log = options.logger ?? defaultLogger;
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processRecords(
      event,
      context,
      (record) => handleJobRecord(options, record, context).then(() => undefined),
      log,
    );
}

/**
 * One record through the lifecycle above, answering what happened to it. Throws only when the
 * record must be redelivered.
 */
export async function handleJobRecord<K extends JobKind>(
  options: SqsJobHandlerOptions<K>,
  record: SQSRecord,
  context: Context,
): Promise<RecordOutcome> {
  const { kind, store } = options;
  const parent = options.logger ?? defaultLogger;
  const parsed = parseJobRecord(record, kind);

  if (parsed.type === 'unidentifiable') {
    parent.error('Message has no usable job id; leaving it to reach the dead-letter queue', {
      messageId: record.messageId,
      reason: parsed.reason,
      receiveCount: record.attributes.ApproximateReceiveCount,
    });
    jobMetrics.poison(kind);
    throw new Error(`Unidentifiable message ${record.messageId}: ${parsed.reason}`);
  }

  const log = parent.createChild({ persistentKeys: { jobId: parsed.jobId, messageId: record.messageId } });
  if (parsed.type === 'invalid') {
    log.error('Invalid job message; failing the job without retry', { problems: parsed.problems });
    jobMetrics.poison(kind);
    const changed = await store.fail(parsed.jobId, {
      code: 'INVALID_INPUT',
      message: `The job message is invalid: ${parsed.problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
      details: { problems: parsed.problems },
    });
    if (changed) jobMetrics.failed(kind);
    return 'invalid';
  }

  const message = parsed.message;
  // One lease per delivery: a concurrent copy of this message (or a second message for the job)
  // finds it held and does not run the worker; a killed run's lease lapses with its invocation.
  const owner = `${context.awsRequestId}/${record.messageId}`;
  const started = await store.start(message.jobId, {
    owner,
    durationMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
  });
  if (started.outcome === 'leased') {
    log.info('Job is held by another run; the message comes back after its visibility timeout', {
      attempts: started.job.attempts,
    });
    throw new Error(`Job ${message.jobId} is being run by another delivery`);
  }
  if (started.outcome === 'waiting') {
    log.info('Job already handed over to another function; redelivered message acknowledged', {
      waitingFor: started.job.waitingFor,
    });
    return 'already-waiting';
  }
  if (started.outcome === 'missing') {
    log.warn('Job record does not exist (expired or never created); message acknowledged');
    return 'missing-job';
  }
  if (started.outcome === 'terminal') {
    log.info('Job already finished; redelivered message acknowledged without change', {
      status: started.job.status,
    });
    return 'already-finished';
  }
  const job = started.job;
  if (job.userId !== message.userId || job.kind !== message.kind) {
    return failJob(
      store,
      job,
      log,
      new PermanentJobError('INVALID_INPUT', 'The message does not match its job record'),
      owner,
    );
  }

  log.info('Job started', { attempt: job.attempts, kind });
  try {
    const outcome = await beforeDeadline(
      options.worker(message, {
        jobId: job.jobId,
        userId: job.userId,
        attempt: job.attempts,
        logger: log,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      }),
      context.getRemainingTimeInMillis(),
    );
    if (outcome.type === 'waiting') {
      const handedOver = await store.wait(job.jobId, owner, outcome.reason, outcome.waitMs);
      if (!handedOver) log.warn('Lease lost while the job was being handed over');
      log.info('Job waiting for another function to finish it', { reason: outcome.reason });
      return 'waiting';
    }
    const written = await store.succeed(job, outcome.result, outcome.model, owner);
    if (!written) {
      log.warn('Job finished elsewhere while this attempt ran; result discarded');
      return 'finished-concurrently';
    }
    jobMetrics.succeeded(kind);
    jobMetrics.duration(kind, job.createdAt);
    log.info('Job succeeded', { model: outcome.model });
    return 'succeeded';
  } catch (error) {
    const classified = classifyError(error);
    if (classified.type === 'permanent') return failJob(store, job, log, classified.error, owner);
    log.warn('Job attempt failed; SQS will redeliver the message', {
      class: classified.type,
      reason: classified.reason,
      attempt: job.attempts,
    });
    jobMetrics.retried(kind);
    if (isModelThrottle(error)) opsMetrics.bedrockThrottle();
    // Stryker disable next-line ConditionalExpression: an `unexpected` class has no code either, so reading it unconditionally gives the same undefined
    const code = classified.type === 'transient' ? classified.code : undefined;
    await store
      .noteRetry(job.jobId, classified.reason, { owner, ...(code ? { code } : {}) })
      .catch((noteError: unknown) => {
        log.warn('Could not note the failed attempt on the job', { error: noteError as Error });
      });
    throw error;
  }
}

async function failJob(
  store: SqsJobHandlerOptions<JobKind>['store'],
  job: JobItem,
  log: Logger,
  error: PermanentJobError,
  owner: string,
): Promise<RecordOutcome> {
  const changed = await store.fail(
    job.jobId,
    { code: error.code, message: error.message, ...(error.details ? { details: { ...error.details } } : {}) },
    { owner },
  );
  if (changed) {
    jobMetrics.failed(job.kind);
    jobMetrics.duration(job.kind, job.createdAt);
  }
  log.warn('Job failed permanently', { code: error.code, message: error.message });
  return changed ? 'failed' : 'finished-concurrently';
}

type ParsedRecord<K extends JobKind> =
  | { readonly type: 'ok'; readonly jobId: string; readonly message: JobMessageOf<K> }
  | {
      readonly type: 'invalid';
      readonly jobId: string;
      readonly problems: readonly { path: string; message: string }[];
    }
  | { readonly type: 'unidentifiable'; readonly reason: string };

/** Parses a record body into a job message of `kind`, keeping the job id whenever it can be recovered. */
function parseJobRecord<K extends JobKind>(record: SQSRecord, kind: K): ParsedRecord<K> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    return { type: 'unidentifiable', reason: `body is not JSON (${(error as Error).message})` };
  }
  const jobId = recoverJobId(body);
  if (!jobId) return { type: 'unidentifiable', reason: 'body has no valid jobId' };
  const result = JobMessageSchema.safeParse(body);
  if (!result.success) return { type: 'invalid', jobId, problems: formatIssues(result.error) };
  if (result.data.kind !== kind) {
    return {
      type: 'invalid',
      jobId,
      problems: [{ path: 'kind', message: `This queue carries "${kind}" jobs, not "${result.data.kind}"` }],
    };
  }
  // Stryker disable next-line StringLiteral: 'ok' is never compared; the caller handles the two other types first
  return { type: 'ok', jobId, message: result.data as JobMessageOf<K> };
}

/** The `jobId` of a parsed body when it is a well-formed job id. */
export function recoverJobId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = (body as { jobId?: unknown }).jobId;
  return JobIdSchema.safeParse(candidate).success ? (candidate as string) : undefined;
}
